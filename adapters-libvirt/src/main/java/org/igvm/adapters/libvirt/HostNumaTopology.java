package org.igvm.adapters.libvirt;

import java.util.ArrayList;
import java.util.List;
import org.igvm.domain.spi.hypervisor.NumaNode;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The host's NUMA nodes from libvirt's capabilities XML ({@code <host><topology><cells>}). */
final class HostNumaTopology {
    private HostNumaTopology() {}

    /** The nodes in document order; empty when libvirt reports no cells. */
    static List<NumaNode> parse(String capabilitiesXml) {
        Document doc = XmlDocuments.parse(capabilitiesXml);
        Element cells = XmlDocuments.first(doc, "cells");
        List<NumaNode> nodes = new ArrayList<>();
        if (cells == null) {
            return nodes;
        }
        NodeList cellList = cells.getElementsByTagName("cell");
        for (int i = 0; i < cellList.getLength(); i++) {
            Element cell = (Element) cellList.item(i);
            List<Integer> cpus = new ArrayList<>();
            NodeList cpuList = cell.getElementsByTagName("cpu");
            for (int j = 0; j < cpuList.getLength(); j++) {
                cpus.add(Integer.parseInt(((Element) cpuList.item(j)).getAttribute("id")));
            }
            Element memory = XmlDocuments.directChild(cell, "memory");
            long memoryMiB = memory == null
                    ? 0
                    : MemoryUnits.toMiB(Long.parseLong(memory.getTextContent().trim()), memory.getAttribute("unit"));
            nodes.add(new NumaNode(Integer.parseInt(cell.getAttribute("id")), cpuset(cpus), memoryMiB));
        }
        return nodes;
    }

    /** CPU ids as a libvirt cpuset: runs become ranges, e.g. [0..7, 16..23] → "0-7,16-23". */
    static String cpuset(List<Integer> cpus) {
        List<Integer> sorted = cpus.stream().sorted().distinct().toList();
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < sorted.size()) {
            int start = sorted.get(i);
            int end = start;
            while (i + 1 < sorted.size() && sorted.get(i + 1) == end + 1) {
                end = sorted.get(++i);
            }
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(start);
            if (end > start) {
                out.append('-').append(end);
            }
            i++;
        }
        return out.toString();
    }
}
