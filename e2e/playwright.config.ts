// Kept for commands that still name the old location; the configuration is ./playwright.config.ts.
export { default } from '../playwright.config';
