package org.hotlinemonitor.core.alert;

/** Why a placed call counted as missed. */
public enum MissCause {
    /** The call rang out (or was placed and never answered). */
    NO_ANSWER,
    /** At least one attempt reported a technical fault. */
    LINE_FAULT
}
