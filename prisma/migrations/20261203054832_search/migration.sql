-- Search (issue 22, part 1): one row per searchable passage of a memo (its title and details, each
-- section of its body, each comment), with a text-search vector in the configuration of the
-- memo's language (or Arabic for a passage mostly in Arabic script), a trigram index for words
-- stemming cannot find (names, scripts without stemmers, parts of words), and triggers that keep
-- titles, details and comments current. Body sections are written by the document workers
-- (server/search/memoSearchIndex.ts).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- AlterTable
ALTER TABLE "MemoMetadata" ADD COLUMN "language" TEXT;

-- CreateTable
CREATE TABLE "SearchEntry" (
    "memoId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "blockIndex" INTEGER,
    "threadId" UUID,
    "heading" TEXT NOT NULL DEFAULT '',
    "body" TEXT NOT NULL DEFAULT '',
    "language" TEXT,
    "config" regconfig NOT NULL DEFAULT 'english'::regconfig,
    "tsv" tsvector NOT NULL DEFAULT ''::tsvector,

    CONSTRAINT "SearchEntry_pkey" PRIMARY KEY ("memoId","kind","ref"),
    CONSTRAINT "SearchEntry_kind_check" CHECK ("kind" IN ('memo', 'section', 'comment'))
);

-- CreateTable
CREATE TABLE "MemoSearchIndex" (
    "memoId" UUID NOT NULL,
    "indexedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MemoSearchIndex_pkey" PRIMARY KEY ("memoId")
);

CREATE INDEX "SearchEntry_tsv_idx" ON "SearchEntry" USING GIN ("tsv");
CREATE INDEX "SearchEntry_text_trgm_idx" ON "SearchEntry" USING GIN (("heading" || E'\n' || "body") gin_trgm_ops);
CREATE INDEX "SearchEntry_threadId_idx" ON "SearchEntry"("threadId");

ALTER TABLE "SearchEntry" ADD CONSTRAINT "SearchEntry_memoId_fkey" FOREIGN KEY ("memoId") REFERENCES "Memo"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "SearchEntry" ADD CONSTRAINT "SearchEntry_threadId_fkey" FOREIGN KEY ("threadId") REFERENCES "CommentThread"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "MemoSearchIndex" ADD CONSTRAINT "MemoSearchIndex_memoId_fkey" FOREIGN KEY ("memoId") REFERENCES "Memo"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The configuration a passage is searched in: Arabic when most of its letters are Arabic script,
-- else the memo's language (English when none is set).
CREATE FUNCTION demarche_search_config(language TEXT, sample TEXT) RETURNS regconfig
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  head TEXT := left(sample, 4000);
  arabic INT := length(regexp_replace(head, '[^\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]', '', 'g'));
  latin INT := length(regexp_replace(head, '[^A-Za-z\u00C0-\u024F]', '', 'g'));
BEGIN
  IF arabic > latin THEN RETURN 'arabic'::regconfig; END IF;
  RETURN CASE language
    WHEN 'fr' THEN 'french'::regconfig
    WHEN 'de' THEN 'german'::regconfig
    WHEN 'es' THEN 'spanish'::regconfig
    WHEN 'ar' THEN 'arabic'::regconfig
    ELSE 'english'::regconfig
  END;
END $$;

-- Every written entry gets its configuration and vector here: title above details, a section's
-- heading above its text, comments lowest.
CREATE FUNCTION demarche_search_entry_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."config" := demarche_search_config(NEW."language", NEW."heading" || E'\n' || NEW."body");
  NEW."tsv" :=
    setweight(to_tsvector(NEW."config", NEW."heading"), CASE NEW."kind" WHEN 'memo' THEN 'A' ELSE 'B' END::"char") ||
    setweight(to_tsvector(NEW."config", NEW."body"), CASE NEW."kind" WHEN 'memo' THEN 'B' WHEN 'section' THEN 'C' ELSE 'D' END::"char");
  RETURN NEW;
END $$;

CREATE TRIGGER "SearchEntry_vector" BEFORE INSERT OR UPDATE ON "SearchEntry"
  FOR EACH ROW EXECUTE FUNCTION demarche_search_entry_vector();

-- A memo's own entry: its title, and its details (subject, to, from, distribution).
CREATE FUNCTION demarche_search_index_memo(memo UUID) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "SearchEntry" ("memoId", "kind", "ref", "heading", "body", "language")
  SELECT m."id", 'memo', '', m."title",
    concat_ws(E'\n', d."subject", d."to", d."from", array_to_string(d."distribution", E'\n')),
    d."language"
  FROM "Memo" m LEFT JOIN "MemoMetadata" d ON d."memoId" = m."id"
  WHERE m."id" = memo
  ON CONFLICT ("memoId", "kind", "ref") DO UPDATE
    SET "heading" = excluded."heading", "body" = excluded."body", "language" = excluded."language";
$$;

CREATE FUNCTION demarche_search_memo_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM demarche_search_index_memo(NEW."id");
  RETURN NULL;
END $$;

CREATE TRIGGER "Memo_search" AFTER INSERT OR UPDATE OF "title" ON "Memo"
  FOR EACH ROW EXECUTE FUNCTION demarche_search_memo_changed();

-- Details changed: the memo's entry, and every entry's language when it changed.
-- The memo's search lock (as the workers take it, memoSearchIndex.ts) before the rows: an indexing
-- that read the old language cannot commit sections after this UPDATE and keep it.
CREATE FUNCTION demarche_search_lock(memo UUID) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(hashtextextended('memo-search:' || memo::text, 0));
$$;

CREATE FUNCTION demarche_search_details_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM demarche_search_lock(NEW."memoId");
  PERFORM demarche_search_index_memo(NEW."memoId");
  IF TG_OP = 'INSERT' OR NEW."language" IS DISTINCT FROM OLD."language" THEN
    UPDATE "SearchEntry" SET "language" = NEW."language"
    WHERE "memoId" = NEW."memoId" AND "kind" <> 'memo' AND "language" IS DISTINCT FROM NEW."language";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "MemoMetadata_search" AFTER INSERT OR UPDATE ON "MemoMetadata"
  FOR EACH ROW EXECUTE FUNCTION demarche_search_details_changed();

-- Comments: one entry each while not deleted.
CREATE FUNCTION demarche_search_comment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW."deletedAt" IS NOT NULL THEN
    -- By thread (indexed), not by ref alone, which no index serves.
    DELETE FROM "SearchEntry" WHERE "threadId" = OLD."threadId" AND "kind" = 'comment' AND "ref" = OLD."id"::text;
    IF TG_OP = 'DELETE' THEN RETURN NULL; END IF;
  END IF;
  IF NEW."deletedAt" IS NULL THEN
    INSERT INTO "SearchEntry" ("memoId", "kind", "ref", "threadId", "body", "language")
    SELECT t."memoId", 'comment', NEW."id"::text, t."id", NEW."body", d."language"
    FROM "CommentThread" t LEFT JOIN "MemoMetadata" d ON d."memoId" = t."memoId"
    WHERE t."id" = NEW."threadId"
    ON CONFLICT ("memoId", "kind", "ref") DO UPDATE SET "body" = excluded."body";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Comment_search" AFTER INSERT OR UPDATE OF "body", "deletedAt" OR DELETE ON "Comment"
  FOR EACH ROW EXECUTE FUNCTION demarche_search_comment_changed();

-- What exists already: every memo's entry and every comment's. Bodies are indexed by the server
-- at start-up (memos without a MemoSearchIndex row).
SELECT demarche_search_index_memo("id") FROM "Memo";
INSERT INTO "SearchEntry" ("memoId", "kind", "ref", "threadId", "body", "language")
SELECT t."memoId", 'comment', c."id"::text, t."id", c."body", d."language"
FROM "Comment" c JOIN "CommentThread" t ON t."id" = c."threadId" LEFT JOIN "MemoMetadata" d ON d."memoId" = t."memoId"
WHERE c."deletedAt" IS NULL;
