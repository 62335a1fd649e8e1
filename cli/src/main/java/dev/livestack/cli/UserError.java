package dev.livestack.cli;

/**
 * Bad input the user can fix: line one says what failed, line two what to do. Exit code 2 unless
 * stated otherwise (1 for a failed deploy or invoke).
 */
final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String todo;
    private final int exitCode;

    UserError(String what, String todo) {
        this(what, todo, ExitCodes.BAD_INPUT, null);
    }

    UserError(String what, String todo, int exitCode, Throwable cause) {
        super(what, cause);
        this.todo = todo;
        this.exitCode = exitCode;
    }

    String todo() {
        return todo;
    }

    int exitCode() {
        return exitCode;
    }
}
