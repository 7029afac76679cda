/** Scalar index types built from sorted postings (scalar-index.ts). */
export type ScalarIndexType = 'INVERTED' | 'STL_SORT' | 'BITMAP' | 'Trie';
/** Every index type a scalar field can have: the postings-based ones, RTREE on GEOMETRY (rtree-index.ts), NGRAM on VarChar (ngram-index.ts). */
export type FieldIndexType = ScalarIndexType | 'RTREE' | 'NGRAM';
