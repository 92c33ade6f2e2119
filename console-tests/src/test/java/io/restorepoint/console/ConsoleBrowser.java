package io.restorepoint.console;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.ConsoleMessage;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Headless Debian Chromium driven by Playwright for Java, with every browser console error and uncaught
 * page error collected. The Chromium of the machine is used ({@code /usr/bin/chromium}, or
 * {@code -Dconsole.chromium=<path>}); Playwright never downloads a browser.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();

    private final Playwright playwright;
    private final Browser browser;
    private final BrowserContext context;
    private final Page page;
    private final List<String> errors = new ArrayList<>();
    private final List<Predicate<ConsoleMessage>> expected = new ArrayList<>();

    private ConsoleBrowser(Playwright playwright, Browser browser, BrowserContext context, Page page) {
        this.playwright = playwright;
        this.browser = browser;
        this.context = context;
        this.page = page;
    }

    /** Fails (never skips) when Chromium is missing, saying how to install it. */
    static Path chromium() {
        Path chromium = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            throw new AssertionError("The console tests need Chromium at " + chromium + " and it is not there. Install it with:\n"
                    + "    apt-get update && apt-get install -y chromium\n"
                    + "(CI does this in .ci/run), or point -Dconsole.chromium=<path> at another Chromium/Chrome binary.");
        }
        return chromium;
    }

    static ConsoleBrowser launch(int width, int height) {
        Path chromium = chromium();
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(chromium)
                    .setHeadless(true)
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")));
            BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                    .setViewportSize(width, height)
                    .setLocale("en-US")
                    .setTimezoneId("UTC")
                    .setAcceptDownloads(true));
            Page page = context.newPage();
            page.setDefaultTimeout(20_000);
            ConsoleBrowser b = new ConsoleBrowser(playwright, browser, context, page);
            page.onConsoleMessage(b::console);
            page.onPageError(error -> b.record("uncaught page error: " + error));
            return b;
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    private void console(ConsoleMessage message) {
        if (!"error".equals(message.type())) {
            return;
        }
        synchronized (this) {
            for (Predicate<ConsoleMessage> allowed : expected) {
                if (allowed.test(message)) {
                    return;
                }
            }
        }
        record("console error: " + message.text() + " at " + message.location());
    }

    private synchronized void record(String error) {
        errors.add(error);
    }

    /**
     * Chromium logs "Failed to load resource: the server responded with a status of 422" for every error
     * answer, also the ones the console expects and shows (a refused import, a rejected token). Allows those
     * for one URL path and status until {@link #clearExpected()}.
     */
    synchronized void expectHttpError(String path, int status) {
        expected.add(m -> m.text().startsWith("Failed to load resource: the server responded with a status of " + status)
                && m.location() != null && m.location().contains(path));
    }

    /** Allows any failed load of one URL path (an error status, or a connection cut mid-stream) until {@link #clearExpected()}. */
    synchronized void expectFailedLoad(String path) {
        expected.add(m -> m.text().startsWith("Failed to load resource") && m.location() != null && m.location().contains(path));
    }

    synchronized void clearExpected() {
        expected.clear();
    }

    /** The errors since the last call. */
    synchronized List<String> takeErrors() {
        List<String> out = List.copyOf(errors);
        errors.clear();
        return out;
    }

    Page page() {
        return page;
    }

    BrowserContext context() {
        return context;
    }

    Path screenshot(String name) {
        return screenshot(name, true);
    }

    Path screenshot(String name, boolean fullPage) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path file = SCREENSHOTS.resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(fullPage));
        return file;
    }

    @Override
    public void close() {
        try {
            context.close();
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
