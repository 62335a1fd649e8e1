package dev.livestack.localcloud.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LambdaRoutesTest {
    @Test
    void namesEveryRouteAsTheServiceModelDoes() {
        assertEquals("CreateFunction", LambdaRoutes.route("POST", "/2015-03-31/functions").operation());
        assertEquals("ListFunctions", LambdaRoutes.route("GET", "/2015-03-31/functions/").operation());
        assertEquals("GetFunction", LambdaRoutes.route("GET", "/2015-03-31/functions/f").operation());
        assertEquals("DeleteFunction", LambdaRoutes.route("DELETE", "/2015-03-31/functions/f").operation());
        assertEquals("GetFunctionConfiguration", LambdaRoutes.route("GET", "/2015-03-31/functions/f/configuration").operation());
        assertEquals("UpdateFunctionConfiguration", LambdaRoutes.route("PUT", "/2015-03-31/functions/f/configuration").operation());
        assertEquals("UpdateFunctionCode", LambdaRoutes.route("PUT", "/2015-03-31/functions/f/code").operation());
        assertEquals("Invoke", LambdaRoutes.route("POST", "/2015-03-31/functions/f/invocations").operation());
        assertEquals("PublishVersion", LambdaRoutes.route("POST", "/2015-03-31/functions/f/versions").operation());
        assertEquals("ListVersionsByFunction", LambdaRoutes.route("GET", "/2015-03-31/functions/f/versions").operation());
        assertEquals("CreateAlias", LambdaRoutes.route("POST", "/2015-03-31/functions/f/aliases").operation());
        assertEquals("ListAliases", LambdaRoutes.route("GET", "/2015-03-31/functions/f/aliases").operation());
        assertEquals("GetAlias", LambdaRoutes.route("GET", "/2015-03-31/functions/f/aliases/live").operation());
        assertEquals("UpdateAlias", LambdaRoutes.route("PUT", "/2015-03-31/functions/f/aliases/live").operation());
        assertEquals("DeleteAlias", LambdaRoutes.route("DELETE", "/2015-03-31/functions/f/aliases/live").operation());
        assertEquals("InvokeWithResponseStream",
                LambdaRoutes.route("POST", "/2021-11-15/functions/f/response-streaming-invocations").operation());
        assertEquals("ListTags", LambdaRoutes.route("GET", "/2017-03-31/tags/arn:aws:lambda:us-east-1:0:function:f").operation());
    }

    @Test
    void carriesThePathsArguments() {
        LambdaRoutes.Route r = LambdaRoutes.route("PUT", "/2015-03-31/functions/f/aliases/live");
        assertEquals("f", r.function());
        assertEquals("live", r.alias());
        assertEquals("f", LambdaRoutes.route("POST", "/2021-11-15/functions/f/response-streaming-invocations").function());
        assertEquals("arn:x", LambdaRoutes.route("DELETE", "/2017-03-31/tags/arn:x").resource());
        assertNull(LambdaRoutes.route("GET", "/2015-03-31/functions/f").alias());
    }

    @Test
    void anUnansweredMethodIsUnknownAndNamedByMethodAndPath() {
        LambdaRoutes.Route r = LambdaRoutes.route("PATCH", "/2015-03-31/functions/f/code");
        assertFalse(r.known());
        assertEquals("PATCH /2015-03-31/functions/f/code", r.operation());
        assertFalse(LambdaRoutes.route("GET", "/2015-03-31/functions/f/policy").known());
        assertFalse(LambdaRoutes.route("GET", "/2021-11-15/functions/f/response-streaming-invocations").known());
        assertTrue(LambdaRoutes.route("GET", "/2015-03-31/functions").known());
    }
}
