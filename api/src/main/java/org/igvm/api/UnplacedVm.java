package org.igvm.api;

/** A VM of an evacuation that no hypervisor can take, and why. */
public record UnplacedVm(String vm, String reason) {}
