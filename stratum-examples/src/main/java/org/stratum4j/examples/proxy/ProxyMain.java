package org.stratum4j.examples.proxy;

import java.util.concurrent.CountDownLatch;
import org.stratum4j.examples.pool.ConfigException;

/**
 * {@code java -cp stratum-example-pool.jar org.stratum4j.examples.proxy.ProxyMain --upstream URL
 * --upstream-user NAME [options]}: runs the mining proxy until interrupted (see {@code --help}).
 * Exits 2 on a configuration mistake, with a message naming it.
 */
public final class ProxyMain {

    /** What the proxy calls itself upstream. */
    static final String USER_AGENT = "stratum4j-proxy/0.1";

    private ProxyMain() {
    }

    /** Entry point. */
    public static void main(String[] args) throws InterruptedException {
        ProxyConfig config;
        Proxy proxy;
        org.stratum4j.examples.web.WebServer.boundRequestTimes();
        try {
            config = ProxyConfig.parse(args);
            if (config.helpRequested()) {
                System.out.print(ProxyConfig.help());
                return;
            }
            proxy = Proxy.start(config);
        } catch (ConfigException e) {
            System.err.println("proxy: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            stopped.countDown();
        }, "proxy-shutdown"));
        stopped.await();
    }
}
