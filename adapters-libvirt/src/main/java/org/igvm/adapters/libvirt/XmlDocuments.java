package org.igvm.adapters.libvirt;

import java.io.StringReader;
import java.io.StringWriter;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Building, parsing and printing the XML libvirt speaks. All XML goes through the JDK's DOM so
 * values from the inventory are always escaped; parsing refuses DTDs (libvirt never sends any).
 */
final class XmlDocuments {
    private XmlDocuments() {}

    static Document newDocument() {
        return builder().newDocument();
    }

    static Document parse(String xml) {
        try {
            return builder().parse(new InputSource(new StringReader(xml)));
        } catch (SAXException | java.io.IOException e) {
            throw new IllegalArgumentException("not well-formed XML: " + e.getMessage(), e);
        }
    }

    /** Indented text without the XML declaration, as virsh prints it. */
    static String print(Node node) {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(node), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot print XML", e);
        }
    }

    /** Appends a child element with the given attributes (name, value pairs). */
    static Element child(Node parent, String name, String... attributes) {
        Document document = parent instanceof Document d ? d : parent.getOwnerDocument();
        Element element = document.createElement(name);
        for (int i = 0; i < attributes.length; i += 2) {
            element.setAttribute(attributes[i], attributes[i + 1]);
        }
        parent.appendChild(element);
        return element;
    }

    /** Appends a child element holding text. */
    static Element textChild(Node parent, String name, String text, String... attributes) {
        Element element = child(parent, name, attributes);
        element.setTextContent(text);
        return element;
    }

    /** The first descendant element with that tag name, or null. */
    static Element first(Node root, String tagName) {
        NodeList list = root instanceof Document d
                ? d.getElementsByTagName(tagName)
                : ((Element) root).getElementsByTagName(tagName);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    /** The direct child element with that tag name, or null. */
    static Element directChild(Element parent, String tagName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tagName)) {
                return e;
            }
        }
        return null;
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK has no usable XML parser", e);
        }
    }
}
