/* Keeps the support library non-empty. */
extern int mtk_testsupport_empty;
int mtk_testsupport_empty = 0;
