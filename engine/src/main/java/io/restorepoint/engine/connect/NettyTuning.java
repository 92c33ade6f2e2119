package io.restorepoint.engine.connect;

/**
 * Turns off Netty's per-access buffer checks (reference-count liveness and bounds) in processes that
 * stream rows: profiling a 2-million-row dump showed a fifth of the CPU in those checks. They guard
 * against use-after-release bugs in code handling Netty buffers directly, which RestorePoint does not
 * do; set {@code RP_NETTY_CHECKS=true} to keep them (e.g. when chasing a driver bug). Must run before
 * any Netty class loads: first thing in {@code main}.
 */
public final class NettyTuning {

    private NettyTuning() {
    }

    public static void apply() {
        if ("true".equalsIgnoreCase(System.getenv("RP_NETTY_CHECKS"))) {
            return;
        }
        System.setProperty("io.netty.buffer.checkAccessible", System.getProperty("io.netty.buffer.checkAccessible", "false"));
        System.setProperty("io.netty.buffer.checkBounds", System.getProperty("io.netty.buffer.checkBounds", "false"));
    }
}
