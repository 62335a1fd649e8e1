package dev.livestack.localcloud.route53;

import dev.livestack.localcloud.core.AwsException;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** A REST-XML request body flattened to {@code Parent/Child} paths of its text leaves (first occurrence wins). */
final class RestXml {
    private RestXml() {
    }

    static Map<String, String> parse(byte[] body) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            // a request body is never allowed to pull in entities or other documents
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            Element root = b.parse(new ByteArrayInputStream(body)).getDocumentElement();
            walk(root, "", out);
        } catch (Exception e) {
            throw new AwsException(400, "InvalidInput", "Could not parse the request body as XML.");
        }
        return out;
    }

    private static void walk(Element e, String prefix, Map<String, String> out) {
        boolean leaf = true;
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element child) {
                leaf = false;
                String name = child.getLocalName() != null ? child.getLocalName() : child.getNodeName();
                walk(child, prefix.isEmpty() ? name : prefix + "/" + name, out);
            }
        }
        if (leaf && !prefix.isEmpty()) {
            out.putIfAbsent(prefix, e.getTextContent().trim());
        }
    }
}
