#!/usr/bin/env node
// Launcher for `npx proofsheet`: the CLI is TypeScript, run through tsx's loader (a
// devDependency, so the CLI needs a full `npm install`, not `--omit=dev`).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.mts');
process.exitCode = await main(process.argv);
