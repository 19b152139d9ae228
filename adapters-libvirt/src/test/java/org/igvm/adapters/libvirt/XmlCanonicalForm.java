package org.igvm.adapters.libvirt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

/**
 * XML reduced to what matters for comparing definitions: no comments, no whitespace between
 * elements, attributes in name order, chosen elements removed. Two documents mean the same when
 * their canonical forms are equal strings.
 */
final class XmlCanonicalForm {
    private XmlCanonicalForm() {}

    static String of(String xml, Set<String> elementsToDrop) {
        Document doc = XmlDocuments.parse(xml);
        strip(doc, elementsToDrop);
        return XmlDocuments.print(doc.getDocumentElement());
    }

    private static void strip(Node node, Set<String> elementsToDrop) {
        List<Node> remove = new ArrayList<>();
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            boolean blankText = child.getNodeType() == Node.TEXT_NODE
                    && child.getTextContent().isBlank();
            boolean dropped = child.getNodeType() == Node.ELEMENT_NODE && elementsToDrop.contains(child.getNodeName());
            if (blankText || dropped || child.getNodeType() == Node.COMMENT_NODE) {
                remove.add(child);
            } else {
                strip(child, elementsToDrop);
            }
        }
        remove.forEach(node::removeChild);
    }
}
