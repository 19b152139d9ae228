package org.igvm.domain.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.igvm.api.ConflictException;
import org.igvm.api.InvalidInputException;
import org.igvm.api.OperationFailedException;
import org.igvm.api.RefusedException;
import org.igvm.api.RenameRequest;
import org.igvm.api.RenameResult;
import org.igvm.domain.build.BuildSettings;
import org.igvm.domain.build.GuestRootFiles;
import org.igvm.domain.build.PuppetAgent;
import org.igvm.domain.build.PuppetCa;
import org.igvm.domain.build.PuppetChrootRun;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.shell.MountedVolume;
import org.igvm.domain.shell.SuggestedCommand;
import org.igvm.domain.shell.VmFiles;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;
import org.igvm.domain.transaction.Transaction;
import org.igvm.domain.vm.UidName;
import org.igvm.domain.vm.VmPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code igvm rename VM NEW --offline}: in one transaction shuts the VM down, renames its volume
 * to the new uid name {@code <object_id>_<NEW>}, writes the new name into the guest's {@code
 * hostname}, {@code mailname} and {@code hosts} and runs Puppet for it in a chroot of the mounted
 * volume, replaces the domain by one of the new uid name, starts the VM again if it ran and
 * commits the hostname. Each step registers its undo, so a failure or cancellation restores the old
 * name everywhere. After the commit the old name's Puppet certificate is cleaned; a failure there
 * is a warning with the command to do it.
 */
public final class RenameVm {
    private static final Logger log = LoggerFactory.getLogger(RenameVm.class);

    private final CommandEnvironment env;
    private final BuildSettings settings;

    public RenameVm(CommandEnvironment env, BuildSettings settings) {
        this.env = env;
        this.settings = settings;
    }

    public RenameResult run(RenameRequest request) {
        if (!request.offline()) {
            throw new InvalidInputException("rename needs --offline: the VM is shut down while it is renamed");
        }
        String newName = request.newHostname();
        // Before anything else: the name goes into shell commands, files and the domain's name.
        if (!BuildVm.HOSTNAME.matcher(newName).matches()) {
            throw new InvalidInputException("invalid new hostname '" + newName + "': it must match "
                    + BuildVm.HOSTNAME.pattern() + " (lower-case letters, digits, dots and dashes, a letter first)");
        }
        VmResolver resolver = new VmResolver(env);
        VmPlacement named = resolver.resolveOnHypervisor(request.vm(), "rename", false);
        requireRenamable(named.vm(), newName);
        return env.operations().run("rename " + named.hostname(), op -> {
            op.lock(resolver.reread(named.vm()));
            // Every check again on what is committed now that the VM is ours.
            ServerObject now = resolver.reread(named.vm());
            if ("retired".equals(now.state()) || !named.hypervisorName().equals(now.string("hypervisor"))) {
                throw new ConflictException(named.hostname() + " changed in the inventory meanwhile (state "
                        + now.state() + ", hypervisor " + now.string("hypervisor") + "); run the rename again");
            }
            VmPlacement vm = new VmPlacement(now, named.hypervisor());
            requireRenamable(vm.vm(), newName);
            return rename(op, vm, newName, request.debugPuppet());
        });
    }

    private RenameResult rename(RunningOperation op, VmPlacement vm, String newName, boolean debugPuppet) {
        String oldName = vm.hostname();
        String hv = vm.hypervisorName();
        long id = vm.vm().objectId();
        DomainInfo domain = StartVm.requireDomain(env, vm);
        DomainDefinitions definitions = new DomainDefinitions(env);
        VolumeInfo volume = definitions.volume(vm);
        if (domain.isRunning()) {
            ResourceAgreement.require(vm.vm(), domain, volume);
        }
        String uidName = UidName.of(id, newName);
        VolumeRename volumeRename = VolumeRename.plan(env, hv, definitions.pool(vm), id, volume, uidName);
        ServerObject renamedVm = vm.vm().with("hostname", newName);
        GuestRootFiles current = VmRootFiles.of(env, vm.vm(), "a rename");
        GuestRootFiles names =
                new GuestRootFiles(newName, current.address(), current.prefixLength(), current.gateway());
        op.checkpoint();

        // Steps 1–5: shut down; volume, guest files and Puppet while off; the new domain; start.
        VmPlacement renamed = new VmPlacement(renamedVm, vm.hypervisor());
        String domainName = new Redefinition(env).run(op, vm, renamed, domain, volumeRename.renamed(), () -> {
            VolumeInfo moved = volumeRename.run(op);
            inGuest(op, renamed, moved, names, debugPuppet);
        });
        verify(vm, domainName, uidName, domain.isRunning());
        op.checkpoint();

        // Step 6: the inventory, once the hypervisor shows the new name.
        env.inventory().commit(Commit.of(ObjectChange.set(id, "hostname", oldName, newName)));
        op.transaction().commit();
        log.info("{} renamed to {} on {}", oldName, newName, hv);

        // Step 7: the old certificate; the rename stands whatever happens here.
        List<String> warnings = new ArrayList<>();
        cleanOldCertificate(vm.vm(), warnings);
        return new RenameResult(
                oldName, newName, hv, domainName, uidName, domain.isRunning() ? "offline" : "stopped", warnings);
    }

    /** The rules of spec §3 rename that the inventory decides; nothing has changed yet. */
    private void requireRenamable(ServerObject vm, String newName) {
        if (newName.equals(vm.hostname())) {
            throw new InvalidInputException(vm.hostname() + " already has that name");
        }
        if (vm.bool("puppet_disabled")) {
            throw new RefusedException(vm.hostname() + " has puppet_disabled set; rename runs Puppet for the new name"
                    + " and needs it enabled (set it with "
                    + SuggestedCommand.igvm("inventory", "set", vm.hostname(), "puppet_disabled=false") + ")");
        }
        for (String attribute : List.of("puppet_master", "puppet_ca")) {
            String value = vm.string(attribute);
            if (value == null || value.isBlank()) {
                throw new InvalidInputException(vm.hostname() + " has no " + attribute
                        + "; a rename runs Puppet and needs it (set it with "
                        + SuggestedCommand.igvm("inventory", "set", vm.hostname(), attribute + "=...") + ")");
            }
        }
        List<ServerObject> holders = env.inventory().query(Query.where("hostname", newName));
        if (!holders.isEmpty()) {
            ServerObject holder = holders.get(0);
            throw new ConflictException(newName + " is already taken by object " + holder.objectId() + " ("
                    + holder.servertype() + "); choose another name");
        }
    }

    /**
     * Step 3 on the renamed volume, mounted: the name files (the old ones are put back by the
     * undo), then Puppet for the new certname, then the unmount.
     */
    private void inGuest(
            RunningOperation op, VmPlacement renamed, VolumeInfo volume, GuestRootFiles names, boolean debug) {
        Transaction tx = op.transaction();
        String hv = renamed.hypervisorName();
        ServerObject vm = renamed.vm();
        try (MountedVolume mounted = MountedVolume.mount(env.shells(), hv, volume.path())) {
            tx.onRollback("unmount " + volume.name() + " on " + hv, mounted::close);
            op.checkpoint();
            writeNames(op, hv, mounted, volume, names);

            PuppetCa ca =
                    new PuppetCa(env.shells(), vm.string("puppet_ca"), settings.caRetries(), settings.caBackoff());
            // The undo first: a Puppet run cut off half-way may have had its certificate signed already.
            tx.onRollback(
                    "clean the Puppet certificate of " + vm.hostname() + " on " + ca.host(),
                    () -> ca.clean(vm.hostname()));
            // As in a build: a certificate left by an earlier host of this name would make the agent fail.
            ca.clean(vm.hostname());
            op.checkpoint();
            HostShell shell = env.shells().open(hv);
            tx.onRollback("close the shell on " + hv, shell::close);
            PuppetChrootRun puppet = new PuppetChrootRun(shell, mounted.mountPoint());
            tx.onRollback("unmount the chroot's binds in " + mounted.mountPoint() + " on " + hv, puppet::cleanUp);
            puppet.run(
                    new PuppetAgent(
                            settings.puppetBinary(vm.string("os")),
                            vm.string("puppet_master"),
                            vm.string("puppet_ca"),
                            vm.hostname(),
                            vm.string("environment"),
                            debug),
                    line -> log.info("{}: {}", vm.hostname(), line));
            shell.close();
            op.checkpoint();
        }
        op.checkpoint();
    }

    /** Writes the name files; the undo puts back what was there (mounting the volume again if needed). */
    private void writeNames(
            RunningOperation op, String hv, MountedVolume mounted, VolumeInfo volume, GuestRootFiles names) {
        VmFiles files = mounted.files();
        Map<String, byte[]> before = new LinkedHashMap<>();
        for (String path : names.nameFiles().keySet()) {
            boolean exists = files.shell()
                    .run(ShellCommand.of("test", "-e", files.path(path)))
                    .succeeded();
            before.put(path, exists ? files.get(path) : null);
        }
        op.checkpoint();
        op.transaction().onRollback("put the old name files back into " + volume.name(), () -> {
            if (mounted.isMounted()) {
                restore(mounted.files(), before);
                return;
            }
            try (MountedVolume again = MountedVolume.mount(env.shells(), hv, volume.path())) {
                restore(again.files(), before);
            }
        });
        for (Map.Entry<String, byte[]> file : names.nameFiles().entrySet()) {
            files.put(file.getValue(), file.getKey(), 0644);
        }
        op.checkpoint();
    }

    private static void restore(VmFiles files, Map<String, byte[]> before) {
        for (Map.Entry<String, byte[]> file : before.entrySet()) {
            if (file.getValue() == null) {
                files.shell().check(ShellCommand.of("rm", "-f", files.path(file.getKey())));
            } else {
                files.put(file.getValue(), file.getKey(), 0644);
            }
        }
    }

    /** The hypervisor shows the new uid name for domain and volume, running if the VM ran. */
    private void verify(VmPlacement vm, String domainName, String uidName, boolean wasRunning) {
        String hv = vm.hypervisorName();
        DomainInfo now = StartVm.requireDomain(env, vm);
        if (!now.name().equals(uidName) || !domainName.equals(uidName)) {
            throw new OperationFailedException(
                    vm.hostname() + "'s domain on " + hv + " is " + now.name() + " after the rename, not " + uidName);
        }
        if (wasRunning && !now.isRunning()) {
            throw new OperationFailedException(vm.hostname() + " is not running on " + hv + " after its rename");
        }
        VolumeInfo volume = new DomainDefinitions(env).volume(vm);
        if (!volume.name().equals(uidName)) {
            throw new OperationFailedException(vm.hostname() + "'s volume on " + hv + " is " + volume.name()
                    + " after the rename, not " + uidName);
        }
    }

    /** After the commit: the old name's certificate; a failure is a warning saying what to run. */
    private void cleanOldCertificate(ServerObject vm, List<String> warnings) {
        String oldName = vm.hostname();
        String caHost = vm.string("puppet_ca");
        try {
            new PuppetCa(env.shells(), caHost, settings.caRetries(), settings.caBackoff()).clean(oldName);
        } catch (RuntimeException e) {
            // The old name is no longer in the inventory: the command names its CA.
            String command = SuggestedCommand.igvm("clean-cert", oldName, "--ca", caHost);
            String reason =
                    e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            String warning = "the old certificate of " + oldName + " is still on " + caHost + " (" + reason
                    + "); clean it with: " + command;
            log.warn("{}", warning);
            warnings.add(warning);
        }
    }
}
