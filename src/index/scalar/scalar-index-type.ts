/** Scalar index types built from sorted postings (scalar-index.ts). */
export type ScalarIndexType = 'INVERTED' | 'STL_SORT' | 'BITMAP' | 'Trie';
/** Every index type a scalar field can have: the postings-based ones and RTREE on GEOMETRY (rtree-index.ts). */
export type FieldIndexType = ScalarIndexType | 'RTREE';
