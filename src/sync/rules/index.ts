// The pure sync rules: (origin event, what exists, the user's calendars) -> operations. No Nest, no I/O.
export * from './types';
export * from './bodies';
export * from './copy-ids';
export * from './eligibility';
export * from './plan';
export * from './plan-common';
export * from './plan-instance';
export * from './recurrence';
export * from './policy';
export * from './policy-hours';
export * from './unavailable';
export * from './policy-preview';
export * from './dry-run';
