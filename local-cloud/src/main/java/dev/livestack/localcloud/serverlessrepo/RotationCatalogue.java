package dev.livestack.localcloud.serverlessrepo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.Http;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The Secrets Manager rotation applications AWS publishes from account 297356227824 (the ones aws-cdk-lib's
 * {@code SecretRotationApplication} names), as local-cloud serves them. Their templates are written here from the
 * applications' documented parameters and output: an execution role, a Python function running local-cloud's own
 * rotation code ({@code serverlessrepo/rotation.py}), the permission for Secrets Manager to invoke it, and the output
 * {@code RotationLambdaARN}. Every version from 1.0.0 up to the newest one listed is served.
 */
final class RotationCatalogue {
    static final String PUBLISHER = "297356227824";
    static final String HANDLER = "rotation.lambda_handler";
    private static final Pattern SEMVER = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Pattern APP_ID = Pattern.compile("arn:aws[a-z-]*:serverlessrepo:[a-z0-9-]+:" + PUBLISHER
            + ":applications/([A-Za-z0-9-]+)");

    /** One published application: its name, database engine, strategy and newest version. */
    record App(String name, String engine, boolean multiUser, String latest) {
    }

    private static final Map<String, App> APPS = new LinkedHashMap<>();

    static {
        String[][] engines = {
            {"RDSMariaDB", "mariadb", "1.1.670", "1.1.670"},
            {"RDSMySQL", "mysql", "1.1.671", "1.1.671"},
            {"RDSOracle", "oracle", "1.1.671", "1.1.671"},
            {"RDSPostgreSQL", "postgres", "1.1.671", "1.1.671"},
            {"RDSSQLServer", "sqlserver", "1.1.670", "1.1.671"},
            {"Redshift", "redshift", "1.1.671", "1.1.671"},
            {"MongoDB", "mongo", "1.1.671", "1.1.671"},
            {"RDSDb2", "db2", "1.1.271", "1.1.272"},
        };
        for (String[] e : engines) {
            add(new App("SecretsManager" + e[0] + "RotationSingleUser", e[1], false, e[2]));
            add(new App("SecretsManager" + e[0] + "RotationMultiUser", e[1], true, e[3]));
        }
    }

    private static void add(App app) {
        APPS.put(app.name(), app);
    }

    private RotationCatalogue() {
    }

    /** The catalogue application an id names, or null when it names none. */
    static App app(String applicationId) {
        Matcher m = APP_ID.matcher(applicationId);
        return m.matches() ? APPS.get(m.group(1)) : null;
    }

    /** Whether the catalogue serves this version: 1.0.0 up to the newest published one. */
    static boolean serves(App app, String semanticVersion) {
        Matcher v = SEMVER.matcher(semanticVersion);
        if (!v.matches()) {
            return false;
        }
        Matcher latest = SEMVER.matcher(app.latest());
        latest.matches();
        for (int i = 1; i <= 3; i++) {
            int a = Integer.parseInt(v.group(i));
            int b = Integer.parseInt(latest.group(i));
            if (i == 1 && a < 1) {
                return false;
            }
            if (a != b) {
                return a < b;
            }
        }
        return true;
    }

    /** The zip of the rotation function: {@code rotation.py} at its root. */
    static byte[] code() {
        try (InputStream in = RotationCatalogue.class.getResourceAsStream("/serverlessrepo/rotation.py")) {
            if (in == null) {
                throw new IllegalStateException("serverlessrepo/rotation.py is missing from local-cloud's classpath");
            }
            byte[] source = in.readAllBytes();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                ZipEntry entry = new ZipEntry("rotation.py");
                entry.setTime(0);
                zip.putNextEntry(entry);
                zip.write(source);
                zip.closeEntry();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application's template, its function's code read from {@code bucket}/{@code codeKey}. */
    static String template(App app, String semanticVersion, String bucket, String codeKey) {
        ObjectNode t = Http.JSON.createObjectNode();
        t.put("AWSTemplateFormatVersion", "2010-09-09");
        t.put("Description", "Conducts an AWS Secrets Manager secret rotation for " + app.engine() + " using the "
                + (app.multiUser() ? "multi" : "single") + " user rotation scheme (local-cloud's catalogue, version "
                + semanticVersion + ")");
        ObjectNode params = t.putObject("Parameters");
        param(params, "endpoint", null, "The Secrets Manager endpoint the function calls");
        param(params, "functionName", null, "The name of the rotation function");
        param(params, "vpcSubnetIds", "", "Comma-separated subnet ids the function runs in (none: no VPC)");
        param(params, "vpcSecurityGroupIds", "", "Comma-separated security group ids of the function");
        param(params, "excludeCharacters", "/@\"'\\", "Characters a generated password leaves out");
        param(params, "kmsKeyArn", "", "The KMS key that encrypts the secret (none: the account's default key)");
        if (app.multiUser()) {
            param(params, "masterSecretArn", null, "The secret of the user that changes the other user's password");
            param(params, "masterSecretKmsKeyArn", "", "The KMS key that encrypts the master secret");
        }
        ObjectNode conditions = t.putObject("Conditions");
        conditions.set("AddVpcConfig", not(equals(ref("vpcSubnetIds"), "")));
        conditions.set("AddKmsKey", not(equals(ref("kmsKeyArn"), "")));
        ObjectNode resources = t.putObject("Resources");
        resources.set("RotationLambdaRole", role(app));
        resources.set("RotationLambda", function(app, bucket, codeKey));
        ObjectNode permission = resources.putObject("RotationLambdaInvokePermission");
        permission.put("Type", "AWS::Lambda::Permission");
        ObjectNode pp = permission.putObject("Properties");
        pp.set("FunctionName", getAtt("RotationLambda", "Arn"));
        pp.put("Action", "lambda:InvokeFunction");
        pp.put("Principal", "secretsmanager.amazonaws.com");
        ObjectNode outputs = t.putObject("Outputs");
        ObjectNode arn = outputs.putObject("RotationLambdaARN");
        arn.put("Description", "The ARN of the rotation function");
        arn.set("Value", getAtt("RotationLambda", "Arn"));
        try {
            return Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode role(App app) {
        ObjectNode role = Http.JSON.createObjectNode();
        role.put("Type", "AWS::IAM::Role");
        ObjectNode p = role.putObject("Properties");
        ObjectNode trust = p.putObject("AssumeRolePolicyDocument");
        trust.put("Version", "2012-10-17");
        ObjectNode assume = trust.putArray("Statement").addObject();
        assume.put("Effect", "Allow");
        assume.putObject("Principal").put("Service", "lambda.amazonaws.com");
        assume.put("Action", "sts:AssumeRole");
        ArrayNode managed = p.putArray("ManagedPolicyArns");
        managed.addObject().put("Fn::Sub", "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
        ObjectNode vpcAccess = managed.addObject();
        ArrayNode ifVpc = vpcAccess.putArray("Fn::If");
        ifVpc.add("AddVpcConfig");
        ifVpc.addObject().put("Fn::Sub", "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole");
        ifVpc.addObject().put("Ref", "AWS::NoValue");
        ObjectNode policy = p.putArray("Policies").addObject();
        policy.put("PolicyName", "SecretsManagerRotation");
        ObjectNode doc = policy.putObject("PolicyDocument");
        doc.put("Version", "2012-10-17");
        ArrayNode statements = doc.putArray("Statement");
        ObjectNode secrets = statements.addObject();
        secrets.put("Effect", "Allow");
        secrets.putArray("Action").add("secretsmanager:DescribeSecret").add("secretsmanager:GetSecretValue")
                .add("secretsmanager:PutSecretValue").add("secretsmanager:UpdateSecretVersionStage");
        secrets.putObject("Resource").put("Fn::Sub", "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*");
        ObjectNode random = statements.addObject();
        random.put("Effect", "Allow");
        random.put("Action", "secretsmanager:GetRandomPassword");
        random.put("Resource", "*");
        if (app.multiUser()) {
            ObjectNode master = statements.addObject();
            master.put("Effect", "Allow");
            master.put("Action", "secretsmanager:GetSecretValue");
            master.set("Resource", ref("masterSecretArn"));
        }
        return role;
    }

    private static ObjectNode function(App app, String bucket, String codeKey) {
        ObjectNode fn = Http.JSON.createObjectNode();
        fn.put("Type", "AWS::Lambda::Function");
        ObjectNode p = fn.putObject("Properties");
        p.set("FunctionName", ref("functionName"));
        p.put("Description", "Conducts an AWS Secrets Manager secret rotation for " + app.engine());
        p.put("Handler", HANDLER);
        p.put("Runtime", "python3.12");
        p.put("Timeout", 30);
        p.set("Role", getAtt("RotationLambdaRole", "Arn"));
        ObjectNode code = p.putObject("Code");
        code.put("S3Bucket", bucket);
        code.put("S3Key", codeKey);
        ObjectNode env = p.putObject("Environment").putObject("Variables");
        env.set("SECRETS_MANAGER_ENDPOINT", ref("endpoint"));
        env.set("EXCLUDE_CHARACTERS", ref("excludeCharacters"));
        env.put("DATABASE_ENGINE", app.engine());
        env.put("ROTATION_STRATEGY", app.multiUser() ? "multi" : "single");
        if (app.multiUser()) {
            env.set("MASTER_SECRET_ARN", ref("masterSecretArn"));
        }
        ObjectNode kms = p.putObject("KmsKeyArn");
        ArrayNode ifKms = kms.putArray("Fn::If");
        ifKms.add("AddKmsKey");
        ifKms.add(ref("kmsKeyArn"));
        ifKms.addObject().put("Ref", "AWS::NoValue");
        ObjectNode vpc = p.putObject("VpcConfig");
        ArrayNode ifVpc = vpc.putArray("Fn::If");
        ifVpc.add("AddVpcConfig");
        ObjectNode config = ifVpc.addObject();
        config.set("SubnetIds", split(ref("vpcSubnetIds")));
        config.set("SecurityGroupIds", split(ref("vpcSecurityGroupIds")));
        ifVpc.addObject().put("Ref", "AWS::NoValue");
        return fn;
    }

    private static void param(ObjectNode params, String name, String defaultValue, String description) {
        ObjectNode p = params.putObject(name);
        p.put("Type", "String");
        p.put("Description", description);
        if (defaultValue != null) {
            p.put("Default", defaultValue);
        }
    }

    private static ObjectNode ref(String name) {
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("Ref", name);
        return n;
    }

    private static ObjectNode getAtt(String id, String attribute) {
        ObjectNode n = Http.JSON.createObjectNode();
        n.putArray("Fn::GetAtt").add(id).add(attribute);
        return n;
    }

    private static ObjectNode split(ObjectNode value) {
        ObjectNode n = Http.JSON.createObjectNode();
        n.putArray("Fn::Split").add(",").add(value);
        return n;
    }

    private static ObjectNode equals(ObjectNode a, String b) {
        ObjectNode n = Http.JSON.createObjectNode();
        n.putArray("Fn::Equals").add(a).add(b);
        return n;
    }

    private static ObjectNode not(ObjectNode condition) {
        ObjectNode n = Http.JSON.createObjectNode();
        n.putArray("Fn::Not").add(condition);
        return n;
    }
}
