package dev.livestack.localcloud.cloudformation;

import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.QueryService;
import dev.livestack.localcloud.core.S3Urls;
import dev.livestack.localcloud.core.ValidationErrors;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The template a request submits (TemplateBody, TemplateURL in local-cloud's S3, or the previous one) and its
 * processing by the transforms it declares.
 */
final class SubmittedTemplates {
    private final CloudContext context;
    private final StackEngine engine;

    SubmittedTemplates(CloudContext context, StackEngine engine) {
        this.context = context;
        this.engine = engine;
    }

    /** The submitted template: TemplateBody, TemplateURL (local-cloud's S3), or the previous one. */
    Template template(QueryService.Form form, StackRecord previous) {
        String body = form.get("TemplateBody");
        String url = form.get("TemplateURL");
        if (body != null) {
            if (body.getBytes(StandardCharsets.UTF_8).length > CloudFormationService.MAX_BODY) {
                throw AwsException.validation(ValidationErrors.detected("Value at 'templateBody' failed to satisfy "
                        + "constraint: Member must have length less than or equal to " + CloudFormationService.MAX_BODY));
            }
            return SubmissionChecks.submitted(form, Template.parse(body));
        }
        if (url != null) {
            byte[] bytes = fetch(url);
            if (bytes.length > CloudFormationService.MAX_URL_TEMPLATE) {
                throw AwsException.validation("Template may not exceed " + CloudFormationService.MAX_URL_TEMPLATE + " bytes in size.");
            }
            return SubmissionChecks.submitted(form, Template.parse(new String(bytes, StandardCharsets.UTF_8)));
        }
        if (form.flag("UsePreviousTemplate")) {
            if (previous == null || previous.templateBody == null) {
                throw AwsException.validation("UsePreviousTemplate can only be used with an existing stack");
            }
            String previousBody = previous.originalTemplateBody != null ? previous.originalTemplateBody : previous.templateBody;
            return SubmissionChecks.submitted(form, Template.parse(previousBody));
        }
        throw AwsException.validation("Either Template URL or Template Body must be specified.");
    }

    /** Reads a TemplateURL from local-cloud's S3 (the URL forms {@link S3Urls} knows). */
    private byte[] fetch(String url) {
        S3Urls.Location at = S3Urls.locate(url);
        if (at == null && url.startsWith("s3://")) {
            // CloudFormation takes the s3:// form's bucket for a host and refuses it
            String host = url.substring("s3://".length()).split("/", 2)[0];
            throw AwsException.validation("S3 error: Domain name specified in " + host + " is not a valid S3 domain");
        }
        if (at == null) {
            throw AwsException.validation("TemplateURL must be a supported URL.");
        }
        byte[] bytes = context.objects().get(at.bucket(), at.key());
        if (bytes == null) {
            throw AwsException.validation("TemplateURL must reference a valid S3 object to which you have access.");
        }
        return bytes;
    }

    /**
     * A template submitted to CreateStack or UpdateStack, processed: CloudFormation runs a transform there only when
     * the caller acknowledges CAPABILITY_AUTO_EXPAND.
     */
    Template direct(Template submitted, QueryService.Form form, List<String> caps) {
        if (!SamTransform.declared(submitted.root()).isEmpty() && !caps.contains("CAPABILITY_AUTO_EXPAND")) {
            throw new AwsException(400, "InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_AUTO_EXPAND]");
        }
        return engine.expand(submitted, form.structs("Parameters"));
    }

    /** A submitted template processed for a query (ValidateTemplate, GetTemplateSummary). */
    Template processed(QueryService.Form form) {
        return engine.expand(template(form, null), form.structs("Parameters"));
    }
}
