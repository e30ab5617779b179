-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "number" INTEGER NOT NULL DEFAULT 0,
    "instruction" TEXT NOT NULL,
    "negativePrompt" TEXT NOT NULL DEFAULT '',
    "params" TEXT NOT NULL,
    "targets" TEXT NOT NULL,
    "parentVariationId" TEXT,
    "sourceRunId" TEXT,
    "sourceKind" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" DATETIME,
    "starred" BOOLEAN NOT NULL DEFAULT false,
    "rating" INTEGER,
    "note" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "Run_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Run_parentVariationId_fkey" FOREIGN KEY ("parentVariationId") REFERENCES "Variation" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Run" ("createdAt", "deletedAt", "id", "instruction", "negativePrompt", "note", "params", "parentVariationId", "rating", "sessionId", "sourceKind", "sourceRunId", "starred", "targets") SELECT "createdAt", "deletedAt", "id", "instruction", "negativePrompt", "note", "params", "parentVariationId", "rating", "sessionId", "sourceKind", "sourceRunId", "starred", "targets" FROM "Run";
DROP TABLE "Run";
ALTER TABLE "new_Run" RENAME TO "Run";
CREATE INDEX "Run_sessionId_createdAt_idx" ON "Run"("sessionId", "createdAt");
CREATE INDEX "Run_parentVariationId_idx" ON "Run"("parentVariationId");
CREATE INDEX "Run_sessionId_deletedAt_createdAt_idx" ON "Run"("sessionId", "deletedAt", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Backfill: number existing runs 1, 2, 3... per session in creation order.
UPDATE "Run" SET "number" = (
    SELECT COUNT(*) FROM "Run" AS r2
    WHERE r2."sessionId" = "Run"."sessionId"
      AND (r2."createdAt" < "Run"."createdAt" OR (r2."createdAt" = "Run"."createdAt" AND r2."id" <= "Run"."id"))
);
