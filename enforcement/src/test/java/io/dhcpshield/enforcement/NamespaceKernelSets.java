package io.dhcpshield.enforcement;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.dhcpshield.enforcement.action.KernelSets;
import io.dhcpshield.enforcement.action.NftablesKernelSets;
import io.dhcpshield.enforcement.action.SetChange;
import io.dhcpshield.enforcement.kernel.NftResult;
import io.dhcpshield.enforcement.kernel.Nftables;
import io.dhcpshield.enforcement.ruleset.EnforcementSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Test harness: {@link NftablesKernelSets} on one thread that joined a named network namespace (setns affects only
 * the calling thread), so an in-process Action Manager drives the namespace's kernel sets.
 */
final class NamespaceKernelSets implements KernelSets, AutoCloseable {
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);
        int CLONE_NEWNET = 0x40000000;

        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "netns-nft"));
    private Nftables nft;
    private NftablesKernelSets sets;

    NamespaceKernelSets(String netns) {
        call(() -> {
            int fd = LibC.INSTANCE.open("/var/run/netns/" + netns, 0);
            if (fd < 0) throw new IllegalStateException("open netns " + netns);
            int rc = LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET);
            LibC.INSTANCE.close(fd);
            if (rc != 0) throw new IllegalStateException("setns " + netns + ": " + Native.getLastError());
            nft = new Nftables();
            sets = new NftablesKernelSets(nft);
            return null;
        });
    }

    /** Runs {@code c} on the thread inside the namespace. */
    <T> T call(Callable<T> c) {
        try {
            return thread.submit(c).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public NftResult commit(List<SetChange> changes) { return call(() -> sets.commit(changes)); }

    @Override
    public Map<Long, Long> list(EnforcementSet set) { return call(() -> sets.list(set)); }

    @Override
    public Map<Long, Long> lookup(EnforcementSet set, java.util.Collection<Long> keys) {
        return call(() -> sets.lookup(set, keys));
    }

    Map<Long, Long> listJson(EnforcementSet set) { return call(() -> sets.listJson(set)); }

    NftResult run(String cmd) { return call(() -> nft.run(cmd)); }

    @Override
    public void close() {
        call(() -> {
            nft.close();
            return null;
        });
        thread.shutdown();
    }
}
