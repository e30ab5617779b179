-- CreateIndex
CREATE UNIQUE INDEX "Run_sessionId_number_key" ON "Run"("sessionId", "number");


