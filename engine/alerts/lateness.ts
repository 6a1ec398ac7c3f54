// The one bound on arrival disorder that every kind of rule shares (docs/rules.md, "Alert windows").

export const DEFAULT_ALLOWED_LATENESS_MINUTES = 10;
/** Aggregate groups track which of their recent windows crossed in 32 bits (crossed-windows.ts). */
export const MAX_ALLOWED_LATENESS_MINUTES = 30;
