package stogger.demo;

import java.util.Random;
import java.util.logging.Level;
import java.util.logging.Logger;
import stogger.core.Fields;
import stogger.core.LogScope;

/**
 * A pretend shop: each order is received, its stock checked and its payment charged, all inside
 * scopes, with structured fields. Some orders run low on stock (a warning) and one payment
 * gateway call fails (an exception).
 */
final class OrderProcessor {

    static final int FAILING_ORDER = 137;

    private static final Logger LOG = Logger.getLogger("shop.orders");
    private static final String[] CUSTOMERS = {"ada", "grace", "linus", "barbara", "ken", "margaret"};

    private final Random random = new Random(42);

    /** Processes one order; a failed payment is logged and rethrown. */
    void process(int orderId) throws PaymentException {
        String customer = CUSTOMERS[random.nextInt(CUSTOMERS.length)];
        int items = 1 + random.nextInt(5);
        double amount = Math.round((5 + random.nextDouble() * 200) * 100) / 100.0;
        try (LogScope order = LogScope.open(LOG, "order", Fields.of("order_id", orderId, "customer", customer))) {
            LOG.log(Level.INFO, "order-received", Fields.of("items", items, "amount", amount));
            LogScope.run("stock-check", () -> checkStock(items));
            LogScope.run("payment", () -> charge(orderId, amount));
            LOG.log(Level.INFO, "order-completed", Fields.of("amount", amount));
        }
    }

    private void checkStock(int items) {
        pause(random.nextInt(3));
        int left = random.nextInt(40);
        if (left < items) {
            LOG.log(Level.WARNING, "low-stock", Fields.of("left", left, "wanted", items));
        }
    }

    private void charge(int orderId, double amount) throws PaymentException {
        pause(random.nextInt(4));
        if (orderId == FAILING_ORDER) {
            throw new PaymentException("gateway timeout after 3 retries",
                    new java.net.SocketTimeoutException("connect timed out"));
        }
        LOG.log(Level.FINE, "payment-authorized", Fields.of("amount", amount, "gateway", "acme-pay"));
    }

    private static void pause(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A payment that could not be made. */
    static final class PaymentException extends Exception {
        private static final long serialVersionUID = 1L;

        PaymentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
