package dev.livestack.logtail;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code --since}: a duration back from now ({@code 30s}, {@code 10m}, {@code 2h}, {@code 1d},
 * {@code 1w}, combined as {@code 1h30m}, or ISO-8601 {@code PT10M}) or a point in time in ISO-8601
 * ({@code 2026-11-21T10:00:00Z}, with an offset, or local time {@code 2026-11-21T10:00} / a date in the given zone).
 */
public final class SinceParser {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");
    private static final Pattern DURATION = Pattern.compile("(?:\\d+(?:ms|s|m|h|d|w))+");

    private SinceParser() {
    }

    /**
     * @param text what the person typed
     * @param now the current time
     * @param zone the zone a local date or time is read in
     * @return the instant the window starts at
     * @throws IllegalArgumentException with a message saying what is accepted, when {@code text} is not readable
     *         or lies in the future
     */
    public static Instant parse(String text, Instant now, ZoneId zone) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        if (text == null || text.isBlank()) {
            throw error(text, "it is empty");
        }
        String t = text.strip();
        Instant at = tryDuration(t, now);
        if (at == null) {
            at = tryTime(t, zone);
        }
        if (at == null) {
            throw error(t, "it is neither a duration nor an ISO-8601 time");
        }
        if (at.isAfter(now)) {
            throw error(t, "it is in the future");
        }
        return at;
    }

    /** {@link #parse(String, Instant, ZoneId)} at the current time in the system zone. */
    public static Instant parse(String text) {
        return parse(text, Instant.now(), ZoneId.systemDefault());
    }

    private static Instant tryDuration(String t, Instant now) {
        String lower = t.toLowerCase(Locale.ROOT);
        if (DURATION.matcher(lower).matches()) {
            Duration total = Duration.ZERO;
            Matcher m = PART.matcher(lower);
            while (m.find()) {
                long n;
                try {
                    n = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    throw error(t, "the number is too large");
                }
                Duration unit = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(1);
                    case "s" -> Duration.ofSeconds(1);
                    case "m" -> Duration.ofMinutes(1);
                    case "h" -> Duration.ofHours(1);
                    case "d" -> Duration.ofDays(1);
                    default -> Duration.ofDays(7);
                };
                try {
                    total = total.plus(unit.multipliedBy(n));
                } catch (ArithmeticException e) {
                    throw error(t, "the duration is too long");
                }
            }
            return back(now, total, t);
        }
        if (lower.startsWith("pt") || lower.startsWith("p")) {
            try {
                Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
                if (d.isNegative()) {
                    throw error(t, "the duration is negative");
                }
                return back(now, d, t);
            } catch (DateTimeException e) {
                return null;
            }
        }
        return null;
    }

    private static Instant back(Instant now, Duration d, String t) {
        try {
            return now.minus(d);
        } catch (DateTimeException | ArithmeticException e) {
            throw error(t, "the duration is too long");
        }
    }

    private static Instant tryTime(String t, ZoneId zone) {
        try {
            return Instant.parse(t);
        } catch (DateTimeException ignored) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(t).atZone(zone).toInstant();
        } catch (DateTimeException ignored) {
            // try the next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay(zone).toInstant();
        } catch (DateTimeException ignored) {
            return null;
        }
    }

    private static IllegalArgumentException error(String text, String why) {
        return new IllegalArgumentException("Cannot read --since '" + (text == null ? "" : text) + "': " + why + ".\n"
                + "Use a duration back from now (30s, 10m, 2h, 1d, 1h30m) or an ISO-8601 time "
                + "(2026-11-21T10:00:00Z, 2026-11-21T10:00 local).");
    }
}
