/** Filled in by the history issue: session list and first page over a large data set. */
export async function benchHistory(): Promise<void> {
  console.log('history benchmark: run `npm run seed:large` first (see README)');
}
