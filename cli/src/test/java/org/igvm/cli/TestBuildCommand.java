package org.igvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.igvm.api.ExitCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code igvm build} and {@code igvm clean-cert} on the command line, for input a build must
 * refuse: each gets one clear error line and a non-zero exit, and the inventory stays as it was
 * (the hypervisor is the test driver; SSH reaches nothing, so a refusal must come before any host
 * is asked).
 */
class TestBuildCommand {
    @TempDir
    Path dir;

    CliFixture igvm;

    @BeforeEach
    void fleet() throws Exception {
        igvm = new CliFixture(dir);
        Files.writeString(
                igvm.config,
                Files.readString(igvm.config)
                        .replace("site:\n", "site:\n  image_url: \"http://images.test/{os}-base.tar.gz\"\n"));
    }

    /** Attribute changes of new01 (or another VM) before the build, the arguments, the exit code, the error's start. */
    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(
                        List.of("new01.example.net", "os="),
                        List.of("build", "new01"),
                        ExitCodes.INVALID_INPUT,
                        "igvm: error: new01.example.net has no os; a build needs it"),
                Arguments.of(
                        List.of("new01.example.net", "puppet_ca="),
                        List.of("build", "new01"),
                        ExitCodes.INVALID_INPUT,
                        "igvm: error: new01.example.net has no puppet_ca"),
                Arguments.of(
                        List.of("new01.example.net", "puppet_master="),
                        List.of("build", "new01"),
                        ExitCodes.INVALID_INPUT,
                        "igvm: error: new01.example.net has no puppet_master"),
                Arguments.of(
                        List.of("new01.example.net", "memory=0"),
                        List.of("build", "new01"),
                        ExitCodes.INVALID_INPUT,
                        "igvm: error: new01.example.net's memory must be set and greater than 0"),
                Arguments.of(
                        List.of("new01.example.net", "hypervisor=hv01.example.net", "memory=2000"),
                        List.of("build", "new01"),
                        ExitCodes.INVALID_INPUT,
                        "igvm: error: new01.example.net's memory of 2000 MiB is not a multiple of"),
                Arguments.of(
                        List.of("new01.example.net", "hypervisor=hv01.example.net", "disk_size_gib=100000"),
                        List.of("build", "new01"),
                        ExitCodes.INVALID_INPUT,
                        "igvm: error: pool xen-data on hv01.example.net has no room for new01.example.net's"),
                Arguments.of(
                        List.of("new01.example.net", "state=retired"),
                        List.of("build", "new01"),
                        ExitCodes.REFUSED,
                        "igvm: error: new01.example.net is retired; build refuses retired VMs"),
                Arguments.of(
                        List.of("web01.example.net", "state=online"),
                        List.of("build", "web01", "--rebuild"),
                        ExitCodes.REFUSED,
                        "igvm: error: web01.example.net is running on hv01.example.net; a running VM is never"
                                + " rebuilt"),
                Arguments.of(
                        List.of("new01.example.net", "hypervisor=hv01.example.net"),
                        List.of("build", "new01", "hv02.example.net"),
                        ExitCodes.INVALID_INPUT,
                        "igvm: error: new01.example.net is on hv01.example.net in the inventory; leave out HV_QUERY"),
                Arguments.of(
                        List.of("new01.example.net", "state=online"),
                        List.of("build", "new01", "--barebones", "--postboot", "/etc/hostname"),
                        ExitCodes.INVALID_INPUT,
                        "igvm: error: --postboot needs a started VM, and --barebones starts none"),
                Arguments.of(
                        List.of("new01.example.net", "state=online"),
                        List.of("clean-cert", "no-such-host.example.net"),
                        ExitCodes.NOT_FOUND,
                        "igvm: error: "),
                Arguments.of(
                        List.of("new01.example.net", "state=online"),
                        List.of("clean-cert", "--ca", "puppet.example.net", "bad name;reboot"),
                        ExitCodes.INVALID_INPUT,
                        "igvm: error: invalid certificate name 'bad name;reboot'"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void badInputIsOneLineANonZeroExitAndChangesNothing(List<String> set, List<String> args, int exitCode, String error)
            throws Exception {
        String[] assignment = set.toArray(String[]::new);
        String[] inventorySet = new String[assignment.length + 2];
        inventorySet[0] = "inventory";
        inventorySet[1] = "set";
        System.arraycopy(assignment, 0, inventorySet, 2, assignment.length);
        CliFixture.Run prepared = igvm.run(inventorySet);
        assertThat(prepared.exitCode()).as(prepared.err()).isZero();
        String before = igvm.run("inventory", "export").out();

        CliFixture.Run run = igvm.run(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
        assertThat(run.err()).startsWith(error).endsWith("\n");
        assertThat(run.err().strip()).doesNotContain("\n");
        assertThat(run.out()).isEmpty();
        assertThat(igvm.run("inventory", "export").out()).isEqualTo(before);
    }

    @Test
    void aMissingOrUnreadablePostbootFileIsRefused() throws Exception {
        Path unreadable = dir.resolve("secret.sh");
        Files.writeString(unreadable, "#!/bin/sh\n");
        unreadable.toFile().setReadable(false);
        for (Path file : List.of(dir.resolve("missing.sh"), unreadable, dir)) {
            if (file.equals(unreadable) && Files.isReadable(unreadable)) {
                continue; // root reads everything
            }
            CliFixture.Run run = igvm.run("build", "new01", "--postboot", file.toString());
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(run.err()).startsWith("igvm: error: ").contains("postboot file " + file);
            assertThat(run.err().strip()).doesNotContain("\n");
        }
    }

    @Test
    void anInvalidHostnameIsRefused() throws Exception {
        Path fleet = dir.resolve("bad.yaml");
        Files.writeString(
                fleet,
                """
                objects:
                  - object_id: 9001
                    servertype: vm
                    hostname: New_01.example.net
                    state: online
                    os: bookworm
                    num_cpu: 1
                    memory: 256
                    disk_size_gib: 1
                    puppet_ca: puppet.example.net
                    puppet_master: puppet.example.net
                """);
        assertThat(igvm.run("inventory", "import", fleet.toString()).exitCode()).isZero();
        String before = igvm.run("inventory", "export").out();

        CliFixture.Run run = igvm.run("build", "New_01");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err())
                .isEqualTo("igvm: error: invalid hostname 'New_01.example.net' for a build: it must match"
                        + " ^[a-z][a-z0-9.-]+$ (lower-case letters, digits, dots and dashes, a letter first)\n");
        assertThat(igvm.run("inventory", "export").out()).isEqualTo(before);
    }

    @Test
    void theDryRunPlanSaysWhereWhyWhatImageAndWhichSteps() {
        java.io.StringWriter text = new java.io.StringWriter();
        BuildCommand.print(
                new org.igvm.api.BuildPlan(
                        "new01.example.net",
                        "hv02.example.net",
                        List.of("ranked 1 of 2 among servertype=hypervisor", "hv02.example.net passed the hard checks"),
                        "http://images.test/bookworm-base.tar.gz",
                        List.of("validate", "hypervisor", "volume")),
                new java.io.PrintWriter(text));

        assertThat(text.toString())
                .isEqualTo("plan for new01.example.net: build on hv02.example.net\n"
                        + "  why: ranked 1 of 2 among servertype=hypervisor\n"
                        + "  why: hv02.example.net passed the hard checks\n"
                        + "image: http://images.test/bookworm-base.tar.gz\n"
                        + "steps: validate, hypervisor, volume\n"
                        + "nothing was changed (dry run)\n");
    }

    @Test
    void progressIsHeldBackUntilTheFirstChangeSoARefusalIsOneLine() {
        java.io.StringWriter text = new java.io.StringWriter();
        try (BuildCommand.Progress progress = new BuildCommand.Progress(new java.io.PrintWriter(text), false, false)) {
            progress.step("validate");
            progress.stepDone("validate", java.time.Duration.ofMillis(1200));
            progress.step("hypervisor");
            assertThat(text.toString()).isEmpty();
            progress.stepDone("hypervisor", java.time.Duration.ofMillis(100));
            progress.step("volume");
            progress.download(512, 1024, 2048);
        }
        assertThat(text.toString())
                .isEqualTo("build: validate\nbuild:   validate done in 1.2 s\nbuild: hypervisor\n"
                        + "build:   hypervisor done in 0.1 s\nbuild: volume\n"
                        + "build:   downloaded 0.0 MiB of 0.0 MiB at 0.0 MiB/s\n");
    }

    @Test
    void buildAndCleanCertHaveHelp() {
        CliFixture.Run build = CliFixture.runRaw("build", "--help");
        assertThat(build.exitCode()).isZero();
        assertThat(build.out())
                .contains("--skip-puppet", "--debug-puppet", "--postboot", "--ignore-reserved", "--rebuild")
                .contains("--barebones", "--soft-preferences", "--dry-run");
        CliFixture.Run clean = CliFixture.runRaw("clean-cert", "--help");
        assertThat(clean.exitCode()).isZero();
        assertThat(clean.out()).contains("--ca");
    }
}
