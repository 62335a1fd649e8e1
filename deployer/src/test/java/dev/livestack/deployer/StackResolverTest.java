package dev.livestack.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class StackResolverTest {
    private final ObjectNode template = TestTemplates.obj("{'Parameters':{'Stage':{'Type':'String'},'Names':{'Type':'CommaDelimitedList'},"
            + "'Undeployed':{'Type':'String'},'ApiToken':{'Type':'String','NoEcho':true}},"
            + "'Conditions':{'IsDev':{'Fn::Equals':[{'Ref':'Stage'},'dev']},'IsProd':{'Fn::Not':[{'Condition':'IsDev'}]},"
            + "'Both':{'Fn::And':[{'Condition':'IsDev'},{'Fn::Or':[{'Condition':'IsProd'},true]}]}},"
            + "'Mappings':{'Sizes':{'dev':{'Memory':'128'}}},'Resources':{}}");
    private final StackResolver r = TestTemplates.resolver(template);

    private String s(String expr) {
        return r.resolve(TestTemplates.node(expr)).asText();
    }

    @Test
    void refResolvesParametersResourcesAndPseudoParameters() {
        assertEquals("dev", s("{'Ref':'Stage'}"));
        assertEquals("app-Fn-ABC", s("{'Ref':'Fn'}"));
        assertEquals("us-east-1", s("{'Ref':'AWS::Region'}"));
        assertEquals("000000000000", s("{'Ref':'AWS::AccountId'}"));
        assertEquals("app", s("{'Ref':'AWS::StackName'}"));
        assertEquals("aws", s("{'Ref':'AWS::Partition'}"));
        assertEquals("[\"a\",\"b\",\"c\"]", Json.write(r.resolve(TestTemplates.node("{'Ref':'Names'}"))));
    }

    @Test
    void getAttDerivesDocumentedAttributes() {
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:app-Fn-ABC", s("{'Fn::GetAtt':['Fn','Arn']}"));
        assertEquals("arn:aws:iam::000000000000:role/app-Role-XYZ", s("{'Fn::GetAtt':'Role.Arn'}"));
        assertEquals("arn:aws:sqs:us-east-1:000000000000:app-Queue-Q", s("{'Fn::GetAtt':['Queue','Arn']}"));
        assertEquals("app-Machine", s("{'Fn::GetAtt':['Machine','Name']}"));
        assertEquals("3", s("{'Fn::GetAtt':['FnVersion1','Version']}"));
    }

    @Test
    void subJoinSelectSplitIfAndFindInMap() {
        assertEquals("fn=app-Fn-ABC in us-east-1 ${literal} role=arn:aws:iam::000000000000:role/app-Role-XYZ",
                s("{'Fn::Sub':'fn=${Fn} in ${AWS::Region} ${!literal} role=${Role.Arn}'}"));
        assertEquals("x-dev", s("{'Fn::Sub':['${Prefix}-${Stage}',{'Prefix':'x'}]}"));
        assertEquals("a:dev:app-Fn-ABC", s("{'Fn::Join':[':',['a',{'Ref':'Stage'},{'Ref':'Fn'}]]}"));
        assertEquals("b", s("{'Fn::Select':[1,{'Fn::Split':[',','a,b,c']}]}"));
        assertEquals("c", s("{'Fn::Select':['2',{'Ref':'Names'}]}"));
        assertEquals("yes", s("{'Fn::If':['IsDev','yes','no']}"));
        assertEquals("no", s("{'Fn::If':['IsProd','yes','no']}"));
        assertEquals("yes", s("{'Fn::If':['Both','yes','no']}"));
        assertEquals("128", s("{'Fn::FindInMap':['Sizes',{'Ref':'Stage'},'Memory']}"));
        assertEquals("eA==", s("{'Fn::Base64':'x'}"));
    }

    @Test
    void noValueRemovesTheEntry() {
        String out = Json.write(r.resolve(TestTemplates.node("{'Variables':{'A':'1','B':{'Fn::If':['IsProd','x',{'Ref':'AWS::NoValue'}]}},"
                + "'List':['a',{'Ref':'AWS::NoValue'}]}")));
        assertEquals("{\"Variables\":{\"A\":\"1\"},\"List\":[\"a\"]}", out);
    }

    @Test
    void unresolvableExpressionsSayWhy() {
        UnresolvableException e = assertThrows(UnresolvableException.class, () -> r.resolve(TestTemplates.node("{'Ref':'NewQueue'}")));
        assertTrue(e.getMessage().contains("NewQueue is not deployed"), e.getMessage());
        e = assertThrows(UnresolvableException.class, () -> r.resolve(TestTemplates.node("{'Fn::GetAtt':['Role','RoleId']}")));
        assertTrue(e.getMessage().contains("RoleId"), e.getMessage());
        e = assertThrows(UnresolvableException.class, () -> r.resolve(TestTemplates.node("{'Ref':'Undeployed'}")));
        assertTrue(e.getMessage().contains("no deployed value"), e.getMessage());
        e = assertThrows(UnresolvableException.class, () -> r.resolve(TestTemplates.node("{'Ref':'ApiToken'}")));
        assertTrue(e.getMessage().contains("NoEcho"), e.getMessage());
        e = assertThrows(UnresolvableException.class, () -> r.resolve(TestTemplates.node("{'Fn::ImportValue':'x'}")));
        assertTrue(e.getMessage().contains("no stack exports it"), e.getMessage());
        e = assertThrows(UnresolvableException.class, () -> r.resolve(TestTemplates.node("{'Fn::GetAZs':''}")));
        assertTrue(e.getMessage().contains("Fn::GetAZs"), e.getMessage());
        assertThrows(UnresolvableException.class, () -> r.resolve(TestTemplates.node("{'Fn::Select':[5,['a']]}")));
        assertThrows(UnresolvableException.class, () -> r.resolve(TestTemplates.node("{'Fn::If':['Nope','a','b']}")));
    }

    @Test
    void importValueReadsTheRegionsExports() {
        StackResolver withExports = new StackResolver("app", "", "us-east-1", "000000000000", java.util.Map.of(),
                java.util.Map.of(), java.util.Map.of(), java.util.Map.of("shared-QueueUrl", "http://q"), template);
        assertEquals("http://q", withExports.resolve(TestTemplates.node("{'Fn::ImportValue':{'Fn::Sub':'shared-QueueUrl'}}")).asText());
    }

    @Test
    void plainValuesPassThrough() {
        assertEquals(TestTemplates.node("{'a':[1,'x',{'b':true}]}"), r.resolve(TestTemplates.node("{'a':[1,'x',{'b':true}]}")));
    }
}
