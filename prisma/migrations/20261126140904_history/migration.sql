-- CreateTable
CREATE TABLE "TrayItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "assetId" TEXT NOT NULL,
    "variationId" TEXT,
    "addedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
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
INSERT INTO "new_Run" ("createdAt", "deletedAt", "id", "instruction", "negativePrompt", "params", "parentVariationId", "sessionId", "targets") SELECT "createdAt", "deletedAt", "id", "instruction", "negativePrompt", "params", "parentVariationId", "sessionId", "targets" FROM "Run";
DROP TABLE "Run";
ALTER TABLE "new_Run" RENAME TO "Run";
CREATE INDEX "Run_sessionId_createdAt_idx" ON "Run"("sessionId", "createdAt");
CREATE INDEX "Run_parentVariationId_idx" ON "Run"("parentVariationId");
CREATE INDEX "Run_sessionId_deletedAt_createdAt_idx" ON "Run"("sessionId", "deletedAt", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "TrayItem_assetId_key" ON "TrayItem"("assetId");

-- CreateIndex
CREATE INDEX "Variation_outputAssetId_idx" ON "Variation"("outputAssetId");

-- CreateIndex
CREATE INDEX "Variation_provider_runId_idx" ON "Variation"("provider", "runId");
