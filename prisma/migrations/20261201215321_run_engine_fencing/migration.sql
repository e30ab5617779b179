-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Variation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "jobId" TEXT,
    "jobHandle" TEXT,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "generation" INTEGER NOT NULL DEFAULT 0,
    "recoveries" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseToken" TEXT,
    "leaseUntil" DATETIME,
    "notBefore" DATETIME,
    "queuedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "submittedAt" DATETIME,
    "finishedAt" DATETIME,
    "costUsd" REAL,
    "costSource" TEXT,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "adaptations" TEXT NOT NULL DEFAULT '[]',
    "result" TEXT,
    "outputAssetId" TEXT,
    "starred" BOOLEAN NOT NULL DEFAULT false,
    "rating" INTEGER,
    "note" TEXT NOT NULL DEFAULT '',
    "deletedAt" DATETIME,
    CONSTRAINT "Variation_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Variation_outputAssetId_fkey" FOREIGN KEY ("outputAssetId") REFERENCES "Asset" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Variation" ("adaptations", "attempt", "costSource", "costUsd", "deletedAt", "errorCode", "errorMessage", "finishedAt", "id", "index", "jobHandle", "jobId", "leaseOwner", "leaseUntil", "model", "notBefore", "note", "outputAssetId", "provider", "queuedAt", "rating", "runId", "seed", "starred", "startedAt", "status", "submittedAt", "targetId") SELECT "adaptations", "attempt", "costSource", "costUsd", "deletedAt", "errorCode", "errorMessage", "finishedAt", "id", "index", "jobHandle", "jobId", "leaseOwner", "leaseUntil", "model", "notBefore", "note", "outputAssetId", "provider", "queuedAt", "rating", "runId", "seed", "starred", "startedAt", "status", "submittedAt", "targetId" FROM "Variation";
DROP TABLE "Variation";
ALTER TABLE "new_Variation" RENAME TO "Variation";
CREATE INDEX "Variation_status_notBefore_idx" ON "Variation"("status", "notBefore");
CREATE INDEX "Variation_runId_index_idx" ON "Variation"("runId", "index");
CREATE INDEX "Variation_status_provider_idx" ON "Variation"("status", "provider");
CREATE INDEX "Variation_status_targetId_idx" ON "Variation"("status", "targetId");
CREATE INDEX "Variation_outputAssetId_idx" ON "Variation"("outputAssetId");
CREATE INDEX "Variation_provider_runId_idx" ON "Variation"("provider", "runId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
