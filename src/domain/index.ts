// The domain contract: pure rules, no I/O, no clock (SPEC §2-§7). Everything the issues name is
// exported from here with exactly the names and types they give.
export * from './calendar';
export * from './followUp';
export * from './targetGroups';
export * from './tariffs';
export * from './copay';
export * from './manager';
