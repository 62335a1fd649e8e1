package dev.livestack.cli;

import dev.livestack.deployer.ChangeRow;
import dev.livestack.deployer.DeployEvent;
import dev.livestack.logtail.TailEvent;
import dev.livestack.synth.SynthEvent;
import java.time.Duration;
import java.util.Locale;

/**
 * Turns the modules' typed events into output: json mode gets the record's fields as they are, text
 * mode one or a few lines for people. Adding an event type to a module means adding its line here.
 */
final class Render {
    private final Output out;
    private volatile boolean daemon;

    Render(Output out) {
        this.out = out;
    }

    /**
     * For {@code watch}: a failed synth is reported by its event, as the daemon goes on. A one-shot command reports it
     * once, as its error; the event then shows only the app's own output, which the error line does not repeat.
     */
    void reportSynthFailures() {
        this.daemon = true;
    }

    void synth(SynthEvent e) {
        if (e instanceof SynthEvent.SynthStarted s) {
            out.event(e, () -> out.json() ? null : out.paint("synthesising…", "2"));
        } else if (e instanceof SynthEvent.SynthSucceeded s) {
            out.event(e,
                    () -> out.paint("synthesised " + String.join(", ", s.stacks()) + " in " + s.durationMs() + " ms", "2"));
        } else if (e instanceof SynthEvent.SynthFailed s) {
            if (!daemon) {
                out.event(e, () -> s.diagnostics().size() <= 1 ? null : "  " + String.join("\n  ", s.diagnostics()));
                return;
            }
            out.event(e, () -> out.paint("✗ synth failed: " + s.message(), "31")
                    + (s.diagnostics().isEmpty() ? "" : "\n  " + String.join("\n  ", s.diagnostics())));
        }
    }

    void deploy(DeployEvent e) {
        if (e instanceof DeployEvent.HotswapApplied h) {
            out.event(e, () -> out.paint("✓ hot-swapped ", "32")
                    + h.stackName() + "/" + h.logicalId() + " (" + String.join(", ", h.properties()) + ") in "
                    + ms(h.duration()) + (h.detail().isEmpty() ? "" : " · " + h.detail()));
        } else if (e instanceof DeployEvent.HotswapSkipped h) {
            out.event(e, () -> out.paint("• not hot-swapped ", "33")
                    + h.stackName() + "/" + h.logicalId() + (h.property().isEmpty() ? "" : " " + h.property()) + ": " + h.reason());
        } else if (e instanceof DeployEvent.HotswapFailed h) {
            out.event(e, () -> out.paint("✗ hot-swap failed ", "31")
                    + h.stackName() + "/" + h.logicalId() + ": " + h.error());
        } else if (e instanceof DeployEvent.AssetPublished a) {
            out.event(e, () -> out.paint((a.uploaded() ? "↑ published " : "• already published ") + a.stackName()
                    + "/" + a.asset() + " → s3://" + a.bucket() + "/" + a.key()
                    + (a.uploaded() ? " (" + a.bytes() + " bytes, " + ms(a.duration()) + ")" : ""), "2"));
        } else if (e instanceof DeployEvent.ImagePublished i) {
            out.event(e, () -> out.paint("↑ pushed " + i.stackName() + "/" + i.asset() + " → " + i.imageUri()
                    + (i.built() ? " (built, " : " (" ) + ms(i.duration()) + ")", "2"));
        } else if (e instanceof DeployEvent.Bootstrapped b) {
            out.event(e, () -> out.paint("bootstrapped local-cloud for " + b.stackName() + ": created " + b.resource(), "2"));
        } else if (e instanceof DeployEvent.RoleAssumed r) {
            out.event(e, () -> out.paint(r.stackName() + ": " + r.purpose() + " as " + r.roleArn(), "2"));
        } else if (e instanceof DeployEvent.RoleNotAssumed r) {
            out.event(e, () -> out.paint("⚠ " + r.stackName() + ": could not assume " + r.roleArn()
                    + (r.reason().isBlank() ? "" : " (" + r.reason() + ")")
                    + "; " + r.purpose() + " proceeds with the current credentials", "33"));
        } else if (e instanceof DeployEvent.DriftWarning w) {
            out.event(e, () -> out.paint("⚠ " + w.message(), "33"));
        } else if (e instanceof DeployEvent.StackRecreated r) {
            out.event(e, () -> out.paint("⚠ " + r.stackName() + " is in " + r.previousStatus()
                    + " (its creation failed): deleting it to create it again", "33"));
        } else if (e instanceof DeployEvent.RollbackContinued r) {
            out.event(e, () -> out.paint("⚠ " + r.stackName() + " is in UPDATE_ROLLBACK_FAILED"
                    + (r.reason().isBlank() ? "" : " (" + r.reason().strip() + ")") + ": continuing its rollback", "33"));
        } else if (e instanceof DeployEvent.ChangeSetCreated c) {
            out.event(e, () -> changeTable(c));
        } else if (e instanceof DeployEvent.ChangeSetExecuted c) {
            out.event(e, () -> out.paint("executing change set for " + c.stackName() + "…", "2"));
        } else if (e instanceof DeployEvent.StackEvent s) {
            out.event(e, () -> String.format(Locale.ROOT, "%s %-28s %-36s %s%s",
                    out.paint(String.format(Locale.ROOT, "%6.1fs", s.elapsed().toMillis() / 1000.0), "2"),
                    statusColour(s.status()), s.logicalId(), s.resourceType(),
                    s.reason() == null || s.reason().isBlank() ? "" : "  " + s.reason()));
        } else if (e instanceof DeployEvent.Retrying r) {
            out.event(e, () -> out.paint("↻ " + r.operation() + " attempt " + r.attempt()
                    + " in " + ms(r.delay()) + ": " + r.reason(), "2"));
        } else if (e instanceof DeployEvent.DeploySucceeded s) {
            out.event(e, () -> out.paint("✓ " + s.stackName() + " "
                    + s.status().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " in " + ms(s.duration()), "32"));
        } else if (e instanceof DeployEvent.DeployFailed f) {
            out.event(e, () -> out.paint("✗ " + f.stackName() + " failed: " + f.error(), "31")
                    + (f.rootCause() == null || f.rootCause().isBlank() ? "" : "\n  root cause: " + f.rootCause())
                    + (f.finalStatus() == null || f.finalStatus().isBlank() ? "" : "\n  stack status: " + f.finalStatus()));
        } else {
            out.event(e, () -> e.type() + " " + e.stackName());
        }
    }

    void tail(TailEvent e) {
        if (e instanceof TailEvent.LiveTailStarted s) {
            out.event(e, () -> out.paint("logs: live tail of " + s.logGroups().size() + " log group(s)", "2"));
        } else if (e instanceof TailEvent.PollingStarted p) {
            out.event(e, () -> out.paint("logs: polling (" + p.reason() + ")", "2"));
        } else if (e instanceof TailEvent.BackingOff b) {
            out.event(e, () -> out.paint("logs: backing off " + ms(b.delay()) + " (" + b.reason() + ")", "2"));
        } else {
            out.event(e, () -> null);
        }
    }

    private String changeTable(DeployEvent.ChangeSetCreated c) {
        StringBuilder b = new StringBuilder();
        b.append(out.paint("change set for " + c.stackName() + " (" + c.summary().changeSetType() + ")"
                + (c.summary().broadening() ? " — broadens IAM / security-group permissions" : ""), "1"));
        if (!c.summary().parameters().isEmpty()) {
            b.append("\n  parameters: ").append(String.join(", ", c.summary().parameters().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        if (c.summary().rows().isEmpty()) {
            b.append("\n  (no resource changes)");
        }
        for (ChangeRow r : c.summary().rows()) {
            String action = switch (r.action()) {
                case "Add" -> out.paint("+ Add   ", "32");
                case "Remove" -> out.paint("- Remove", "31");
                default -> out.paint("~ " + String.format(Locale.ROOT, "%-6s", r.action()), "33");
            };
            b.append("\n  ").append(action).append(' ').append(String.format(Locale.ROOT, "%-36s %-32s", r.logicalId(), r.resourceType()));
            if (r.replacement() != null && !r.replacement().isBlank() && !r.replacement().equals("False")) {
                b.append(out.paint(" replacement: " + r.replacement(), "31"));
            }
        }
        return b.toString();
    }

    private String statusColour(String status) {
        String padded = String.format(Locale.ROOT, "%-28s", status);
        if (status.endsWith("FAILED") || status.contains("ROLLBACK")) {
            return out.paint(padded, "31");
        }
        if (status.endsWith("COMPLETE")) {
            return out.paint(padded, "32");
        }
        return padded;
    }

    static String ms(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
