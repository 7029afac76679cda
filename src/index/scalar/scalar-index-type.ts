export type ScalarIndexType = 'INVERTED' | 'STL_SORT' | 'BITMAP' | 'Trie';
