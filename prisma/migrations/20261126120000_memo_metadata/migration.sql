-- CreateTable
CREATE TABLE "MemoMetadata" (
    "memoId" UUID NOT NULL,
    "to" TEXT NOT NULL DEFAULT '',
    "from" TEXT NOT NULL DEFAULT '',
    "date" DATE,
    "subject" TEXT NOT NULL DEFAULT '',
    "distribution" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "marking" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MemoMetadata_pkey" PRIMARY KEY ("memoId")
);

-- AddForeignKey
ALTER TABLE "MemoMetadata" ADD CONSTRAINT "MemoMetadata_memoId_fkey" FOREIGN KEY ("memoId") REFERENCES "Memo"("id") ON DELETE CASCADE ON UPDATE CASCADE;

