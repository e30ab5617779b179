// Kept for commands that still name the old location; the configuration is ./vitest.config.mts.
export { default } from '../../vitest.config.mts';
