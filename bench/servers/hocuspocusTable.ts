/** The bytea table Hocuspocus's database extension writes to, in the same PostgreSQL as ours. */
export const HOCUSPOCUS_TABLE = "bench_hocuspocus_documents";
