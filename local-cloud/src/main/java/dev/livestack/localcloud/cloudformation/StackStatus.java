package dev.livestack.localcloud.cloudformation;

/**
 * A stack's status, named exactly as CloudFormation spells it on the wire ({@link #name()} is the wire value) and
 * in the records persisted in the state folder. See {@link StackEngine} for the transitions local-cloud makes.
 */
enum StackStatus {
    CREATE_IN_PROGRESS,
    CREATE_FAILED,
    CREATE_COMPLETE,
    ROLLBACK_IN_PROGRESS,
    ROLLBACK_FAILED,
    ROLLBACK_COMPLETE,
    DELETE_IN_PROGRESS,
    DELETE_FAILED,
    DELETE_COMPLETE,
    UPDATE_IN_PROGRESS,
    UPDATE_COMPLETE_CLEANUP_IN_PROGRESS,
    UPDATE_COMPLETE,
    UPDATE_FAILED,
    UPDATE_ROLLBACK_IN_PROGRESS,
    UPDATE_ROLLBACK_FAILED,
    UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS,
    UPDATE_ROLLBACK_COMPLETE,
    REVIEW_IN_PROGRESS,
    IMPORT_IN_PROGRESS,
    IMPORT_COMPLETE,
    IMPORT_ROLLBACK_IN_PROGRESS,
    IMPORT_ROLLBACK_FAILED,
    IMPORT_ROLLBACK_COMPLETE;

    /** An operation is running on the stack (CloudFormation refuses most calls then). */
    boolean inProgress() {
        return name().endsWith("_IN_PROGRESS");
    }

    /** The status belongs to a create's rollback ({@code ROLLBACK_*}, not {@code UPDATE_ROLLBACK_*}). */
    boolean createRollback() {
        return name().startsWith("ROLLBACK");
    }

    /**
     * The status a stack is left in when local-cloud stopped during this in-progress status: the operation died
     * with the process, so the stack says so instead of pretending it runs.
     */
    StackStatus interrupted() {
        if (name().startsWith("DELETE")) {
            return DELETE_FAILED;
        }
        return name().startsWith("CREATE") || name().startsWith("ROLLBACK") ? ROLLBACK_FAILED : UPDATE_ROLLBACK_FAILED;
    }
}
