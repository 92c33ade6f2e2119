package io.restorepoint.console;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import io.restorepoint.devinfra.DevTokens;
import io.restorepoint.devinfra.Sql;
import io.restorepoint.local.LocalStack;
import io.restorepoint.schemas.kafka.Json;
import io.restorepoint.system.StackFixture;
import io.restorepoint.testsupport.Await;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console the gateway serves at {@code /}, driven in headless Chromium against the local stack, the
 * way an operator uses it: sign in, read the stats, back up and watch the job, rename, export, import (and
 * refused imports), restore, verify, delete, reload the page, see a failed job's reason, lose the live feed,
 * use it at phone width. The steps build on each other and run in order. Each step leaves a
 * screenshot in {@code target/screenshots/}; any browser console error fails the step it happened in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final String PROJECT = "demo";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final NumberFormat US = NumberFormat.getIntegerInstance(Locale.US);
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

    private final Path work = Path.of("target", "console-it").toAbsolutePath();
    private LocalStack stack;
    private ConsoleBrowser browser;
    private Page page;
    private String base;
    /** The backup made, renamed and later restored. */
    private int knownGood;
    /** The safety backup the restore took. */
    private int safety;
    /** The backup made just before a page reload. */
    private int reloaded;

    @RegisterExtension
    final TestWatcher screenshotOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                try {
                    browser.screenshot("FAILED-" + context.getRequiredTestMethod().getName());
                } catch (RuntimeException e) {
                    cause.addSuppressed(e);
                }
            }
        }
    };

    @BeforeAll
    void start() throws IOException {
        ConsoleBrowser.chromium(); // fail at once, with the fix, rather than after starting the stack
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
        Files.createDirectories(work);
        stack = StackFixture.stack();
        base = stack.gatewayUrl();
        browser = ConsoleBrowser.launch(1280, 900);
        page = browser.page();
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void noBrowserErrors(TestInfo test) {
        page.waitForTimeout(300); // let late console messages of this step arrive
        List<String> errors = browser.takeErrors();
        browser.clearExpected();
        assertThat(errors).as("browser console errors during %s", test.getDisplayName()).isEmpty();
    }

    @Test
    @Order(1)
    void signInWithAPastedToken() {
        page.navigate(base + "/");
        PlaywrightAssertions.assertThat(page).hasTitle("RestorePoint console");
        expect(page.locator("#sign-in")).isVisible();
        expect(page.locator("#dev-sign-in")).isVisible();
        expect(page.locator("#token-input")).isFocused();
        browser.screenshot("01-sign-in");

        page.locator("#token-input").fill("not a token");
        page.locator("#token-submit").click();
        expect(page.locator("#sign-in-error")).containsText("That is not a JWT");

        browser.expectHttpError("/api/p/" + PROJECT + "/init", 401);
        page.locator("#token-input").fill(new DevTokens(DevTokens.randomSecret()).admin(LocalStack.ADMIN));
        page.locator("#token-submit").click();
        expect(page.locator("#sign-in-error")).containsText("The gateway rejected this token");
        browser.screenshot("02-sign-in-token-rejected");

        String token = stack.adminToken();
        page.locator("#token-input").fill(token);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
        expect(page.locator("#dashboard")).isVisible();
        expect(page.locator("#whoami")).containsText(LocalStack.ADMIN);
        expect(page.locator("#feed-state")).hasAttribute("data-state", "live");
        assertThat(sessionItem("rp.token")).isEqualTo(token);
        assertThat(page.url()).as("the token never goes into a URL").isEqualTo(base + "/");

        page.locator("#sign-out").click();
        expect(page.locator("#sign-in")).isVisible();
        expect(page.locator("#sign-in-note")).containsText("Signed out");
        assertThat(sessionItem("rp.token")).isNull();
    }

    @Test
    @Order(2)
    void devSignInShowsTheStats() {
        page.locator("#dev-sign-in").click();
        expect(page.locator("#dashboard")).isVisible();
        Map<String, Long> counts = tableCounts();
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        expect(page.locator("#stat-total .count")).hasText(US.format(total));
        expect(page.locator("#stat-size")).hasText(java.util.regex.Pattern.compile("^\\d+\\.\\d\\d MB$"));
        expect(page.locator("#stats-table tbody tr")).hasCount(counts.size());
        for (Map.Entry<String, Long> table : counts.entrySet()) {
            expect(statCount(table.getKey())).hasText(US.format(table.getValue()));
        }
        expect(page.locator("#versions-empty")).isVisible();
        browser.screenshot("03-dashboard");
    }

    @Test
    @Order(3)
    void createABackupAndWatchItsBarReachDone() {
        int version = nextVersion();
        // every status the page shows for this job, in order
        page.evaluate("v => { window.__statuses = []; const jobs = document.getElementById('jobs');"
                + " new MutationObserver(() => { const li = jobs.querySelector(`li[data-job='backup_project'][data-version='${v}']`);"
                + " if (li && window.__statuses[window.__statuses.length - 1] !== li.dataset.status) window.__statuses.push(li.dataset.status); })"
                + ".observe(jobs, { childList: true, subtree: true, attributes: true }); }", version);
        page.locator("#backup-name").fill("Before cleanup");
        page.locator("#create-button").click();
        Locator job = jobItem("backup_project", version);
        expect(job).isVisible();
        expect(versionRow(version).locator("[data-role=status]")).hasText(java.util.regex.Pattern.compile("pending|valid"));
        String token = job.getAttribute("data-token");

        JsonNode done = awaitJob(token);
        assertThat(done.get("status").asString()).isEqualTo("done");
        // the server has it done: the page shows it within a second
        expect(job).hasAttribute("data-status", "done", new LocatorAssertions.HasAttributeOptions().setTimeout(1_000));
        expect(job.getByRole(AriaRole.PROGRESSBAR)).hasAttribute("aria-valuenow", "100",
                new LocatorAssertions.HasAttributeOptions().setTimeout(1_000));
        expect(job).containsText(US.format(done.get("result").get("rows").asLong()) + " rows");
        @SuppressWarnings("unchecked")
        List<String> statuses = (List<String>) page.evaluate("() => window.__statuses");
        assertThat(statuses).as("statuses shown for the job").isNotEmpty().endsWith("done");
        assertThat(List.of("queued", "processing", "done")).as("statuses shown for the job, in order")
                .containsSubsequence(statuses);

        Locator row = versionRow(version);
        expect(row.locator("[data-role=status]")).hasText("valid");
        expect(row.locator(".name")).hasText("Before cleanup");
        expect(row).containsText("by console");
        knownGood = version;
        browser.screenshot("04-backup-done");
    }

    @Test
    @Order(4)
    void renameTheBackup() {
        Locator row = versionRow(knownGood);
        button(row, "Rename version " + knownGood).click();
        Locator dialog = page.locator("#rename-dialog");
        expect(dialog).isVisible();
        expect(page.locator("#rename-input")).isFocused();
        expect(page.locator("#rename-input")).hasValue("Before cleanup");
        page.locator("#rename-input").fill("Known good");
        browser.screenshot("05-rename-dialog", false);
        page.keyboard().press("Enter");
        expect(dialog).isHidden();
        expect(row.locator(".name")).hasText("Known good");
        expect(button(row, "Rename version " + knownGood)).isFocused();
        assertThat(versionFromApi(knownGood).get("name").asString()).isEqualTo("Known good");
    }

    @Test
    @Order(5)
    void exportDownloadsTheDocument() throws IOException {
        Download download = page.waitForDownload(() -> page.locator("#export-button").click());
        assertThat(download.suggestedFilename()).matches("restorepoint-" + PROJECT + "-\\d{8}-\\d{6}\\.json");
        Path file = work.resolve(download.suggestedFilename());
        download.saveAs(file);
        JsonNode document = Json.MAPPER.readTree(Files.readAllBytes(file));
        assertThat(document.get("version").asString()).isEqualTo("2.0");
        assertThat(document.get("counts").get("pesaje").asLong()).isEqualTo(count("pesaje"));
        expect(page.locator("#export-status")).containsText("Saved " + download.suggestedFilename());
        expect(page.locator("#export-status")).hasAttribute("data-bytes", Long.toString(Files.size(file)));
        browser.screenshot("06-exported");
    }

    @Test
    @Order(6)
    void importPutsBackTheRowsDeletedInTheDatabase() throws Exception {
        Path document = work.resolve("export-for-import.json");
        exportThroughTheApi(document);
        long pesaje = count("pesaje");
        long auditoria = count("auditoria");
        Sql.execute(db(), "SET SESSION foreign_key_checks = 0",
                "DELETE FROM pesaje WHERE ID IN (SELECT ID FROM (SELECT ID FROM pesaje ORDER BY ID DESC LIMIT 37) t)",
                "DELETE FROM auditoria WHERE id <= 5");
        page.locator("#stats-refresh").click();
        expect(statCount("pesaje")).hasText(US.format(pesaje - 37));
        expect(page.locator("#stats-table tr[data-table='pesaje'] .delta")).containsText("37");
        expect(statCount("auditoria")).hasText(US.format(auditoria - 5));
        browser.screenshot("07-rows-deleted");

        page.locator("#import-file").setInputFiles(document);
        Locator dialog = page.locator("#confirm-dialog");
        expect(dialog).isVisible();
        expect(dialog.locator("[data-role=doc-version]")).hasText("2.0");
        expect(dialog.locator("tr[data-table='pesaje'] td")).hasText(US.format(pesaje));
        expect(dialog.locator("tr[data-table='auditoria'] td")).hasText(US.format(auditoria));
        expect(page.locator("#confirm-ok")).hasText("Import");
        browser.screenshot("08-import-confirm", false);
        page.locator("#confirm-ok").click();

        Locator result = page.locator("#import-result-table");
        expect(result.locator("tr[data-table='pesaje'] .inserted")).hasText("37");
        expect(result.locator("tr[data-table='pesaje'] .skipped")).hasText(US.format(pesaje - 37));
        expect(result.locator("tr[data-table='auditoria'] .inserted")).hasText("5");
        expect(result.locator("tr[data-table='usuarios'] .inserted")).hasText("0");
        expect(page.locator("#import-result .summary")).containsText("42 rows inserted");
        expect(statCount("pesaje")).hasText(US.format(pesaje));
        assertThat(count("pesaje")).isEqualTo(pesaje);
        assertThat(count("auditoria")).isEqualTo(auditoria);
        browser.screenshot("09-import-result");
    }

    @Test
    @Order(7)
    void aBadImportFileShowsTheApisMessage() throws IOException {
        browser.expectHttpError("/api/backup/import", 400);
        browser.expectHttpError("/api/backup/import", 422);
        record Case(String file, String content, String localWarning, String apiMessage) {
        }
        List<Case> cases = List.of(
                new Case("not-json.json", "this is not JSON at all", "not valid JSON", "The import document is not valid JSON"),
                new Case("old-version.json", "{\"version\":\"1.0\",\"data\":{\"areas\":[]}}", "version 1.0",
                        "Document version 1.0 is not supported"),
                new Case("unknown-table.json", "{\"version\":\"2.0\",\"data\":{\"no_such_table\":[{\"id\":1}]}}",
                        "Tables not in the database: no_such_table", "table no_such_table does not exist"));
        long pesaje = count("pesaje");
        for (Case c : cases) {
            Path file = work.resolve(c.file());
            Files.writeString(file, c.content());
            page.locator("#import-file").setInputFiles(file);
            Locator dialog = page.locator("#confirm-dialog");
            expect(dialog).containsText(c.localWarning());
            expect(page.locator("#confirm-ok")).hasText("Send anyway");
            page.locator("#confirm-ok").click();
            expect(page.locator("#import-error")).containsText("The import was refused: " + c.apiMessage());
            expect(page.locator("#import-result")).isHidden();
            browser.screenshot("10-bad-import-" + c.file().replace(".json", ""));
        }
        expect(page.locator("#import-error")).containsText("(HTTP 422, code 1001)");
        assertThat(count("pesaje")).isEqualTo(pesaje);
    }

    @Test
    @Order(8)
    void bigFilesAreCountedWithoutLoadingThemWhole() throws IOException {
        String text = Files.readString(work.resolve("export-for-import.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) page.evaluate("async text => {"
                + " const { inspect } = await import('/console/importfile.js');"
                + " const rows = r => Object.fromEntries(r.tables.map(t => [t.table, t.rows]));"
                + " const withCounts = await inspect(new File([text], 'big.json'), { smallLimit: 0 });"
                + " const noCounts = text.slice(0, text.lastIndexOf(',\"counts\"')) + '}';"
                + " const scanned = await inspect(new File([noCounts], 'big.json'), { smallLimit: 0 });"
                + " return { countsSource: withCounts.source, countsVersion: withCounts.version, counts: rows(withCounts),"
                + "          scanSource: scanned.source, scanVersion: scanned.version, scanned: rows(scanned), scanError: scanned.error }; }",
                text);
        JsonNode counts = Json.MAPPER.readTree(text).get("counts");
        Map<String, Object> expected = new LinkedHashMap<>();
        counts.properties().forEach(e -> expected.put(e.getKey(), e.getValue().asInt()));
        assertThat(result.get("countsSource")).isEqualTo("counts");
        assertThat(result.get("countsVersion")).isEqualTo("2.0");
        assertThat(result.get("scanSource")).isEqualTo("scanned");
        assertThat(result.get("scanError")).isNull();
        assertThat(result.get("scanVersion")).isEqualTo("2.0");
        assertThat((Map<String, Object>) result.get("counts")).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat((Map<String, Object>) result.get("scanned")).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    @Order(9)
    void restoreAfterConfirmingBringsTheDataBack() {
        long pesaje = count("pesaje");
        Sql.execute(db(), "SET SESSION foreign_key_checks = 0",
                "DELETE FROM pesaje WHERE ID IN (SELECT ID FROM (SELECT ID FROM pesaje ORDER BY ID LIMIT 100) t)");
        page.locator("#stats-refresh").click();
        expect(statCount("pesaje")).hasText(US.format(pesaje - 100));

        safety = nextVersion();
        button(versionRow(knownGood), "Restore version " + knownGood).click();
        Locator dialog = page.locator("#confirm-dialog");
        expect(dialog).isVisible();
        expect(dialog.locator("#confirm-title")).hasText("Restore version " + knownGood + "?");
        expect(dialog).containsText("“Known good”");
        expect(dialog).containsText("A safety backup of the current data is taken first");
        expect(page.locator("#confirm-cancel")).isFocused();
        browser.screenshot("11-restore-confirm", false);
        page.locator("#confirm-ok").click();

        Locator safetyJob = jobItem("backup_project", safety);
        Locator restoreJob = jobItem("restore_project", knownGood);
        expect(safetyJob).containsText("Safety backup before restoring");
        expect(restoreJob).containsText("Restore v" + knownGood + " “Known good”");
        expect(restoreJob).hasAttribute("data-status", "done", new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
        expect(safetyJob).hasAttribute("data-status", "done");
        // the page re-reads the stats when a restore ends
        expect(statCount("pesaje")).hasText(US.format(pesaje));
        expect(versionRow(safety).locator("[data-role=status]")).hasText("valid");
        assertThat(count("pesaje")).isEqualTo(pesaje);
        browser.screenshot("12-restored");
    }

    @Test
    @Order(10)
    void verifyAndDeleteWithTheKeyboard() {
        button(versionRow(knownGood), "Verify version " + knownGood).click();
        expect(jobItem("verify_backup", knownGood)).hasAttribute("data-status", "done",
                new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
        expect(versionRow(knownGood).locator("[data-role=verified]")).hasText("verified");

        Locator dialog = page.locator("#confirm-dialog");
        Locator delete = button(versionRow(safety), "Delete version " + safety);
        delete.focus();
        page.keyboard().press("Enter");
        expect(dialog).isVisible();
        expect(dialog).containsText("cannot be undone");
        page.keyboard().press("Escape");
        expect(dialog).isHidden();
        expect(delete).isFocused();
        expect(versionRow(safety)).hasCount(1);

        // Escape and then Enter at once: the browser may deliver the first opening's 'close' event after the
        // second opening began (input comes first). Made certain here: cancel and reopen in one task. The
        // late 'close' must not answer the second question (it did: the delete then did nothing).
        page.evaluate("v => { const del = document.querySelector(`#versions-table button[data-action=delete][data-version='${v}']`);"
                + " del.click(); document.querySelector('#confirm-cancel').click(); del.click(); }", safety);
        expect(dialog).isVisible();
        expect(page.locator("#confirm-cancel")).isFocused();
        page.keyboard().press("Tab");
        expect(page.locator("#confirm-ok")).isFocused();
        expect(page.locator("#confirm-ok")).hasText("Delete version " + safety);
        page.keyboard().press("Enter");
        expect(dialog).isHidden();
        explained(() -> expect(versionRow(safety)).hasCount(0), () -> "after deleting v" + safety + ": " + pageState(safety));
        assertThat(versions().stream().map(v -> v.get("version").asInt())).doesNotContain(safety).contains(knownGood);
        browser.screenshot("13-verified-and-deleted");
    }

    @Test
    @Order(11)
    void jobsSurviveAPageReload() {
        int version = nextVersion();
        page.locator("#backup-name").fill("Reload check");
        page.locator("#create-button").click();
        expect(jobItem("backup_project", version)).isVisible();
        page.reload();
        expect(page.locator("#dashboard")).isVisible();
        expect(jobItem("backup_project", version)).hasAttribute("data-status", "done",
                new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
        expect(versionRow(version).locator("[data-role=status]")).hasText("valid");
        // the jobs of before the reload are still there, from the server
        expect(jobItem("restore_project", knownGood)).hasAttribute("data-status", "done");
        expect(jobItem("verify_backup", knownGood)).hasAttribute("data-status", "done");
        expect(jobItem("backup_project", safety)).containsText("Safety backup before restoring v" + knownGood);
        expect(page.locator("#feed-state")).hasAttribute("data-state", "live");
        assertThat(Long.parseLong(sessionItem("rp.cursor"))).isPositive();
        assertThat(page.url()).isEqualTo(base + "/");
        reloaded = version;
        browser.screenshot("14-after-reload");
    }

    @Test
    @Order(12)
    void aFailedJobShowsItsReason() throws IOException {
        // damage the artifact of a version: verifying it must fail, and say why
        Path data = stack.storeDir().resolve(PROJECT).resolve(String.format("%06d", reloaded)).resolve("data");
        Path chunk;
        try (var files = Files.list(data)) {
            chunk = files.filter(Files::isRegularFile).sorted().findFirst()
                    .orElseThrow(() -> new AssertionError("no data file in " + data));
        }
        Files.write(chunk, new byte[] {1, 2, 3, 4}, java.nio.file.StandardOpenOption.APPEND);

        button(versionRow(reloaded), "Verify version " + reloaded).click();
        Locator job = jobItem("verify_backup", reloaded);
        expect(job).isVisible();
        JsonNode end = awaitJob(job.getAttribute("data-token"));
        assertThat(end.get("status").asString()).isEqualTo("rejected");
        String reason = end.get("failure").get("reason").asString();
        expect(job).hasAttribute("data-status", "rejected", new LocatorAssertions.HasAttributeOptions().setTimeout(1_000));
        expect(job.locator(".failure")).containsText("Failed: " + reason);
        expect(versionRow(reloaded).locator("[data-role=verified]")).containsText("failed");
        browser.screenshot("15-verify-failed");
    }

    @Test
    @Order(13)
    void theLiveFeedReconnectsWhenTheStreamEnds() throws IOException {
        browser.expectFailedLoad("/sync/stream");
        stack.sync().kill();
        expect(page.locator("#feed-state")).hasAttribute("data-state", "reconnecting");
        expect(page.locator("#feed-detail")).containsText("Live feed interrupted");
        browser.screenshot("16-feed-reconnecting", false);
        stack.sync().start();
        stack.sync().awaitReady(Duration.ofSeconds(120));
        expect(page.locator("#feed-state")).hasAttribute("data-state", "live",
                new LocatorAssertions.HasAttributeOptions().setTimeout(30_000));

        int version = nextVersion();
        page.locator("#backup-name").fill("After reconnect");
        page.locator("#create-button").click();
        expect(jobItem("backup_project", version)).hasAttribute("data-status", "done",
                new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
        expect(versionRow(version).locator("[data-role=status]")).hasText("valid");
    }

    @Test
    @Order(14)
    void worksAtPhoneWidth() {
        page.setViewportSize(375, 812);
        try {
            expect(page.locator("#create-button")).isVisible();
            Number width = (Number) page.evaluate("() => document.documentElement.scrollWidth");
            assertThat(width.intValue()).as("page width at 375 px (no sideways scrolling)").isLessThanOrEqualTo(375);
            browser.screenshot("17-phone-375");
            button(versionRow(knownGood), "Restore version " + knownGood).click();
            Locator dialog = page.locator("#confirm-dialog");
            expect(dialog).isVisible();
            Number dialogWidth = (Number) page.evaluate("() => document.getElementById('confirm-dialog').getBoundingClientRect().right");
            assertThat(dialogWidth.intValue()).isLessThanOrEqualTo(375);
            browser.screenshot("18-phone-375-restore-dialog", false);
            page.keyboard().press("Escape");
            expect(dialog).isHidden();
        } finally {
            page.setViewportSize(1280, 900);
        }
    }

    @Test
    @Order(15)
    void overviewScreenshot() {
        Locator dismiss = page.locator("#notices .notice button");
        for (int i = 0; i < 10 && dismiss.count() > 0; i++) {
            try {
                dismiss.first().click(new Locator.ClickOptions().setTimeout(2_000));
            } catch (com.microsoft.playwright.TimeoutError gone) {
                // it went away by itself meanwhile
            }
        }
        expect(page.locator("#notices .notice")).hasCount(0);
        page.evaluate("() => window.scrollTo(0, 0)");
        expect(versionRow(knownGood).locator("[data-role=status]")).hasText("valid");
        expect(page.locator("#feed-state")).hasAttribute("data-state", "live");
        browser.screenshot("console-1280", false);
    }

    @Test
    @Order(16)
    void aVersionThatLeftObjectsOutIsMarkedAndItsRestoreSaysSo() {
        // a worker allowed to skip what it cannot read (RP_BACKUP_SKIP_UNREADABLE_OBJECTS) records this on the version
        var control = stack.database().connectionFactory(LocalStack.CONTROL_DATABASE);
        Sql.execute(control, "UPDATE backup_versions SET skipped_json = '[{\"kind\":\"trigger\",\"name\":\"*\","
                + "\"reason\":\"the backup account lacks TRIGGER\"}]' WHERE project_gid = '" + PROJECT + "' AND version = " + reloaded);
        try {
            page.reload();
            expect(page.locator("#dashboard")).isVisible();
            Locator badge = versionRow(reloaded).locator("[data-role=incomplete]");
            expect(badge).hasText("incomplete: 1 left out");
            expect(badge).hasAttribute("title", "left out: every trigger (the backup account lacks TRIGGER)");
            expect(versionRow(knownGood).locator("[data-role=incomplete]")).hasCount(0);

            button(versionRow(reloaded), "Restore version " + reloaded).click();
            Locator dialog = page.locator("#confirm-dialog");
            expect(dialog.locator("[data-role=incomplete]")).hasText("This version is not the whole database: the backup left out "
                    + "every trigger (the backup account lacks TRIGGER). After the restore the database does not have them.");
            page.locator("#confirm-cancel").click();
            expect(dialog).isHidden();
        } finally {
            Sql.execute(control, "UPDATE backup_versions SET skipped_json = NULL WHERE project_gid = '" + PROJECT + "' AND version = " + reloaded);
        }
    }

    // -----------------------------------------------------------------------------------------------
    // helpers

    private static LocatorAssertions expect(Locator locator) {
        return PlaywrightAssertions.assertThat(locator);
    }

    private Locator versionRow(int version) {
        return page.locator("#versions-table tbody tr[data-version='" + version + "']");
    }

    private Locator jobItem(String job, int version) {
        return page.locator("#jobs li.job[data-job='" + job + "'][data-version='" + version + "']").first();
    }

    private Locator statCount(String table) {
        return page.locator("#stats-table tr[data-table='" + table + "'] .count");
    }

    private static Locator button(Locator scope, String name) {
        return scope.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name).setExact(true));
    }

    private String sessionItem(String key) {
        return (String) page.evaluate("k => sessionStorage.getItem(k)", key);
    }

    private ConnectionFactory db() {
        return stack.database().connectionFactory(LocalStack.DEMO_DATABASE);
    }

    private long count(String table) {
        return ((Number) Sql.scalar(db(), "SELECT COUNT(*) FROM " + Sql.checkIdentifier(table))).longValue();
    }

    private Map<String, Long> tableCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Map<String, Object> row : Sql.query(db(), "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                + LocalStack.DEMO_DATABASE + "' AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")) {
            String table = (String) row.get("t");
            counts.put(table, count(table));
        }
        return counts;
    }

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + stack.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(request.build().uri() + " answered " + response.statusCode() + ": " + response.body());
            }
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs an assertion; when it fails, says what the page and the API showed then (a rare failure explains itself). */
    private static void explained(Runnable assertion, java.util.function.Supplier<String> state) {
        try {
            assertion.run();
        } catch (AssertionError e) {
            String shown;
            try {
                shown = state.get();
            } catch (RuntimeException | AssertionError x) {
                shown = "(could not read the state: " + x + ")";
            }
            throw new AssertionError(e.getMessage() + "\n" + shown, e);
        }
    }

    private String pageState(int version) {
        String api = versions().stream().filter(v -> v.get("version").asInt() == version).map(JsonNode::toString)
                .findFirst().orElse("not listed");
        return "API version " + version + ": " + api + "; notices: " + page.locator("#notices").innerText()
                + "; backups error: " + page.locator("#backups-error").innerText() + "; feed: "
                + page.locator("#feed-state").getAttribute("data-state");
    }

    private List<JsonNode> versions() {
        JsonNode list = get("/api/p/" + PROJECT + "/init").get("data").get("cc.projects").get(PROJECT).get("backups").get("versions");
        List<JsonNode> out = new ArrayList<>();
        list.forEach(out::add);
        return out;
    }

    private JsonNode versionFromApi(int version) {
        return versions().stream().filter(v -> v.get("version").asInt() == version).findFirst()
                .orElseThrow(() -> new AssertionError("version " + version + " is not listed"));
    }

    private int nextVersion() {
        return get("/api/p/" + PROJECT + "/init").get("data").get("cc.projects").get(PROJECT).get("backups").get("next_version").asInt();
    }

    private JsonNode awaitJob(String token) {
        return Await.until("job " + token + " ends", JOB_TIMEOUT,
                () -> get("/api/p/" + PROJECT + "/jobs/" + token).get("result").get("job"),
                job -> job.get("status").asString().matches("done|rejected"));
    }

    private void exportThroughTheApi(Path file) throws IOException, InterruptedException {
        HttpResponse<Path> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/backup/export"))
                .header("Authorization", "Bearer " + stack.adminToken()).build(), HttpResponse.BodyHandlers.ofFile(file));
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
