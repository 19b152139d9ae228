package org.igvm.adapters.libvirt;

import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Reads a {@link DomainInfo} from a domain's XML description and its current state. */
final class DomainInfoReader {
    private DomainInfoReader() {}

    static DomainInfo read(String domainXml, DomainState state) {
        Document doc = XmlDocuments.parse(domainXml);
        Element domain = doc.getDocumentElement();
        Element vcpu = XmlDocuments.directChild(domain, "vcpu");
        int maxVcpus = vcpu == null ? 1 : Integer.parseInt(vcpu.getTextContent().trim());
        int vcpus = vcpu == null || vcpu.getAttribute("current").isEmpty()
                ? maxVcpus
                : Integer.parseInt(vcpu.getAttribute("current"));
        long memory = mib(XmlDocuments.directChild(domain, "memory"));
        Element current = XmlDocuments.directChild(domain, "currentMemory");
        Element hotplugMax = XmlDocuments.directChild(domain, "maxMemory");
        return new DomainInfo(
                text(domain, "name"),
                text(domain, "uuid"),
                state,
                vcpus,
                maxVcpus,
                current == null ? memory : mib(current),
                hotplugMax == null ? memory : mib(hotplugMax));
    }

    private static long mib(Element element) {
        return element == null
                ? 0
                : MemoryUnits.toMiB(Long.parseLong(element.getTextContent().trim()), element.getAttribute("unit"));
    }

    private static String text(Element domain, String tag) {
        Element e = XmlDocuments.directChild(domain, tag);
        return e == null ? "" : e.getTextContent().trim();
    }
}
