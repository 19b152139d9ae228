import java.nio.file.Path;
import org.igvm.api.Igvm;
import org.igvm.api.ImportRequest;
import org.igvm.api.InventoryObject;
import org.igvm.api.LockInfo;
import org.igvm.api.PlacementRequest;
import org.igvm.api.PlacementResult;
import org.igvm.api.RestartRequest;
import org.igvm.api.SetAttributesRequest;
import org.igvm.api.StopRequest;
import org.igvm.api.VmInfo;
import org.igvm.bootstrap.IgvmConfig;
import org.igvm.bootstrap.IgvmRuntime;

/**
 * igvm embedded in another application: start the runtime from a config file, then call the API.
 * Compiles against igvm-api and igvm-bootstrap only.
 *
 * <p>Usage: {@code java -cp ... EmbeddedIgvm CONFIG FLEET_FILE}
 */
public final class EmbeddedIgvm {
    public static void main(String[] args) {
        IgvmConfig config = IgvmConfig.load(Path.of(args[0]), true);
        try (IgvmRuntime runtime = IgvmRuntime.start(config)) {
            Igvm igvm = runtime.igvm();

            int imported = igvm.inventory().importFleet(ImportRequest.builder(Path.of(args[1])).build());
            System.out.println("imported " + imported + " objects");

            for (InventoryObject vm : igvm.inventory().query("servertype=vm state=online")) {
                System.out.println("vm " + vm.hostname() + " on " + vm.get("hypervisor"));
            }

            igvm.stop(StopRequest.builder("web01").force(true).build());
            VmInfo stopped = igvm.info("web01");
            System.out.println(stopped.hostname() + " is " + stopped.status().word());

            InventoryObject changed = igvm.inventory()
                    .set(SetAttributesRequest.builder("web01").set("memory", "3072").build());
            System.out.println(changed.hostname() + " memory " + changed.get("memory"));

            igvm.restart(RestartRequest.builder("web01").force(true).build());
            System.out.println("web01 restarted with memory "
                    + igvm.inventory().show("web01").get("memory"));

            PlacementResult plan = igvm.placement()
                    .plan(PlacementRequest.builder("new01").softPreferences(true).build());
            System.out.println("placement of " + plan.vm() + " chooses " + plan.chosen() + " among "
                    + plan.ranked().size() + " ranked");

            LockInfo lock = igvm.locks().status("web01");
            System.out.println(lock.description());
        }
    }
}
