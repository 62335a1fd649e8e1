package dev.livestack.localcloud.events;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression: {@code rate(value unit)} or AWS's six-field {@code cron(minutes hours
 * day-of-month month day-of-week year)}, in UTC. Parsing is as strict as EventBridge's: anything it refuses is
 * refused here with its message.
 */
abstract class Schedule {
    static final String INVALID = "Parameter ScheduleExpression is not valid.";
    private static final Pattern RATE = Pattern.compile("rate\\(([1-9][0-9]*) (minute|minutes|hour|hours|day|days)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+)\\)");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
            "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    /** The first time strictly after {@code after} this schedule falls due, or null when it never will again. */
    abstract Instant next(Instant after);

    /** The expression, or null when it is not a valid one. */
    static Schedule parse(String expression) {
        if (expression == null) {
            return null;
        }
        Matcher m = RATE.matcher(expression);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            boolean singular = !m.group(2).endsWith("s");
            if (singular != (n == 1)) {
                return null; // "rate(1 minutes)" and "rate(5 minute)" are both refused
            }
            ChronoUnit unit = m.group(2).startsWith("minute") ? ChronoUnit.MINUTES
                    : m.group(2).startsWith("hour") ? ChronoUnit.HOURS : ChronoUnit.DAYS;
            return new Rate(Duration.of(n, unit));
        }
        m = CRON.matcher(expression);
        if (m.matches()) {
            try {
                return new Cron(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /** A fixed period from the rule's creation (EventBridge starts a rate schedule when the rule is made). */
    static final class Rate extends Schedule {
        final Duration period;
        Instant origin = Instant.EPOCH;

        Rate(Duration period) {
            this.period = period;
        }

        @Override
        Instant next(Instant after) {
            long periods = Math.max(0, Duration.between(origin, after).toMillis() / period.toMillis()) + 1;
            Instant t = origin.plus(period.multipliedBy(periods));
            return t.isAfter(after) ? t : t.plus(period);
        }
    }

    static final class Cron extends Schedule {
        private final BitSet minutes;
        private final BitSet hours;
        private final BitSet months;
        private final BitSet years;
        private final String dayOfMonth;
        private final String dayOfWeek;
        private final BitSet doms;
        private final BitSet dows;

        Cron(String min, String hour, String dom, String month, String dow, String year) {
            minutes = field(min, 0, 59, null);
            hours = field(hour, 0, 23, null);
            months = field(month, 1, 12, MONTHS);
            years = field(year, 1970, 2199, null);
            // one of day-of-month and day-of-week must be '?', never both
            if (dom.equals("?") == dow.equals("?")) {
                throw new IllegalArgumentException("exactly one of day-of-month and day-of-week must be ?");
            }
            dayOfMonth = dom;
            dayOfWeek = dow;
            doms = dom.equals("?") || dom.equals("L") || dom.endsWith("W") ? null : field(dom, 1, 31, null);
            if (dom.endsWith("W") && !dom.equals("LW")) {
                int d = Integer.parseInt(dom.substring(0, dom.length() - 1));
                if (d < 1 || d > 31) {
                    throw new IllegalArgumentException("day " + d);
                }
            }
            dows = dow.equals("?") || dow.endsWith("L") || dow.contains("#") ? null : field(dow, 1, 7, DAYS);
            if (dow.endsWith("L") && !dow.equals("?")) {
                weekday(dow.substring(0, dow.length() - 1));
            }
            if (dow.contains("#")) {
                String[] p = dow.split("#");
                weekday(p[0]);
                int nth = Integer.parseInt(p[1]);
                if (p.length != 2 || nth < 1 || nth > 5) {
                    throw new IllegalArgumentException("nth " + dow);
                }
            }
        }

        @Override
        Instant next(Instant after) {
            LocalDateTime from = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            LocalDate day = from.toLocalDate();
            for (int i = 0; i < 366 * 6 && day.getYear() <= 2199; i++, day = day.plusDays(1)) {
                if (!years.get(day.getYear()) || !months.get(day.getMonthValue()) || !dayMatches(day)) {
                    continue;
                }
                int h0 = day.equals(from.toLocalDate()) ? from.getHour() : 0;
                for (int h = hours.nextSetBit(h0); h >= 0; h = hours.nextSetBit(h + 1)) {
                    int m0 = day.equals(from.toLocalDate()) && h == from.getHour() ? from.getMinute() : 0;
                    int m = minutes.nextSetBit(m0);
                    if (m >= 0) {
                        return day.atTime(h, m).toInstant(ZoneOffset.UTC);
                    }
                }
            }
            return null;
        }

        private boolean dayMatches(LocalDate day) {
            int last = day.lengthOfMonth();
            if (!dayOfMonth.equals("?")) {
                if (dayOfMonth.equals("L")) {
                    return day.getDayOfMonth() == last;
                }
                if (dayOfMonth.equals("LW")) {
                    return day.equals(nearestWeekday(day.withDayOfMonth(last)));
                }
                if (dayOfMonth.endsWith("W")) {
                    int d = Math.min(last, Integer.parseInt(dayOfMonth.substring(0, dayOfMonth.length() - 1)));
                    return day.equals(nearestWeekday(day.withDayOfMonth(d)));
                }
                return doms.get(day.getDayOfMonth());
            }
            int dow = day.getDayOfWeek().getValue() % 7 + 1; // SUN=1 … SAT=7
            if (dayOfWeek.endsWith("L")) {
                DayOfWeek want = DayOfWeek.of((weekday(dayOfWeek.substring(0, dayOfWeek.length() - 1)) + 5) % 7 + 1);
                return day.equals(day.with(TemporalAdjusters.lastInMonth(want)));
            }
            if (dayOfWeek.contains("#")) {
                String[] p = dayOfWeek.split("#");
                DayOfWeek want = DayOfWeek.of((weekday(p[0]) + 5) % 7 + 1);
                return day.equals(day.with(TemporalAdjusters.dayOfWeekInMonth(Integer.parseInt(p[1]), want)))
                        && day.getMonth() == day.with(TemporalAdjusters.dayOfWeekInMonth(Integer.parseInt(p[1]), want)).getMonth();
            }
            return dows.get(dow);
        }

        /** The weekday nearest a date within its month (the W of day-of-month). */
        private static LocalDate nearestWeekday(LocalDate d) {
            return switch (d.getDayOfWeek()) {
                case SATURDAY -> d.getDayOfMonth() == 1 ? d.plusDays(2) : d.minusDays(1);
                case SUNDAY -> d.getDayOfMonth() == d.lengthOfMonth() ? d.minusDays(2) : d.plusDays(1);
                default -> d;
            };
        }

        /** A day-of-week value, 1 (SUN) to 7 (SAT). */
        private static int weekday(String s) {
            int v = value(s, DAYS, 1);
            if (v < 1 || v > 7) {
                throw new IllegalArgumentException("weekday " + s);
            }
            return v;
        }

        private static BitSet field(String text, int min, int max, List<String> names) {
            BitSet set = new BitSet(max + 1);
            for (String part : text.split(",", -1)) {
                int step = 1;
                String range = part;
                int slash = part.indexOf('/');
                if (slash >= 0) {
                    step = Integer.parseInt(part.substring(slash + 1));
                    range = part.substring(0, slash);
                    if (step < 1) {
                        throw new IllegalArgumentException("step " + part);
                    }
                }
                int lo;
                int hi;
                if (range.equals("*")) {
                    lo = min;
                    hi = max;
                } else if (range.contains("-")) {
                    String[] p = range.split("-", -1);
                    if (p.length != 2) {
                        throw new IllegalArgumentException(range);
                    }
                    lo = value(p[0], names, min);
                    hi = value(p[1], names, min);
                } else {
                    lo = value(range, names, min);
                    hi = slash >= 0 ? max : lo;
                }
                if (lo < min || hi > max || lo > hi) {
                    throw new IllegalArgumentException(part + " is outside " + min + "-" + max);
                }
                for (int v = lo; v <= hi; v += step) {
                    set.set(v);
                }
            }
            return set;
        }

        private static int value(String s, List<String> names, int min) {
            if (names != null) {
                int i = names.indexOf(s.toUpperCase(Locale.ROOT));
                if (i >= 0) {
                    return i + min;
                }
            }
            if (!s.matches("[0-9]{1,4}")) {
                throw new IllegalArgumentException(s);
            }
            return Integer.parseInt(s);
        }
    }
}
