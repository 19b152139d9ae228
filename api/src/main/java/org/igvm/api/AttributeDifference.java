package org.igvm.api;

/** One attribute whose inventory value differed from the hypervisor's, and what it became. */
public record AttributeDifference(String attribute, String inventoryValue, String hypervisorValue) {}
