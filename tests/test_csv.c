/* core/csv.c: the RFC 4180 reader, encoding detection, the writer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "guanjia/csv.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads all records of text; returns the status that ended the reading.
 * Records go to out as "line:f1|f2|...\n". */
static int read_all(const char *text, size_t len, char *out, size_t outsz, long *err_line,
                    struct gj_error *err)
{
    struct gj_csv_reader r;
    gj_csv_reader_init(&r, text, len);
    size_t o = 0;
    out[0] = '\0';
    int rc;
    while ((rc = gj_csv_next(&r, err)) == GJ_OK) {
        o += (size_t)snprintf(out + o, outsz - o, "%ld:", r.line);
        for (size_t i = 0; i < r.nfields; i++)
            o += (size_t)snprintf(out + o, outsz - o, "%s%s", i ? "|" : "", r.fields[i]);
        o += (size_t)snprintf(out + o, outsz - o, "\n");
        assert_true(o < outsz);
    }
    if (err_line)
        *err_line = r.line;
    gj_csv_reader_free(&r);
    return rc;
}

static void expect(const char *text, const char *want)
{
    char out[4096];
    struct gj_error err;
    assert_int_equal(read_all(text, strlen(text), out, sizeof out, NULL, &err), GJ_ENOTFOUND);
    assert_string_equal(out, want);
}

static void test_simple_records(void **state)
{
    (void)state;
    expect("a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n");
    /* A last line without a line break. */
    expect("a,b\n1,2", "1:a|b\n2:1|2\n");
    /* CRLF, and a lone CR. */
    expect("a,b\r\n1,2\r\n3,4\r5,6", "1:a|b\n2:1|2\n3:3|4\n4:5|6\n");
    /* Empty fields and a trailing comma. */
    expect(",x,,\n", "1:|x||\n");
    expect("a,\n", "1:a|\n");
    /* An empty line is a record with one empty field. */
    expect("a\n\nb\n", "1:a\n2:\n3:b\n");
    /* Nothing at all: no record. */
    expect("", "");
    /* Chinese text passes through untouched. */
    expect("房号,姓名\n3-2-501,张三\n", "1:房号|姓名\n2:3-2-501|张三\n");
}

static void test_quoted_fields(void **state)
{
    (void)state;
    /* Commas and doubled quotes inside quotes. */
    expect("\"a,b\",\"say \"\"hi\"\"\",\"\"\n", "1:a,b|say \"hi\"|\n");
    /* A quote inside an unquoted field is kept. */
    expect("5\" pipe,x\n", "1:5\" pipe|x\n");
    /* Line breaks inside quotes: later records keep their physical lines. */
    expect("h1,h2\n\"line one\nline two\nline three\",x\nnext,y\n",
           "1:h1|h2\n2:line one\nline two\nline three|x\n5:next|y\n");
    /* CRLF inside quotes becomes LF, and still counts as one line. */
    expect("\"a\r\nb\",c\r\nd,e\r\n", "1:a\nb|c\n3:d|e\n");
    /* A quoted last field at the end of the text. */
    expect("x,\"y\"", "1:x|y\n");
}

static void test_broken_quotes(void **state)
{
    (void)state;
    char out[1024];
    struct gj_error err;
    long line = 0;
    /* Never closed: reported at the line the quote opened on. */
    const char *t = "a,b\nc,d\ne,\"never\nclosed\nat all\n";
    assert_int_equal(read_all(t, strlen(t), out, sizeof out, &line, &err), GJ_EINVAL);
    assert_int_equal(line, 3);
    assert_non_null(strstr(err.msg, "never closed"));
    assert_string_equal(out, "1:a|b\n2:c|d\n");
    /* Text after a closing quote. */
    t = "a\n\"x\"y,z\n";
    assert_int_equal(read_all(t, strlen(t), out, sizeof out, &line, &err), GJ_EINVAL);
    assert_int_equal(line, 2);
    assert_non_null(strstr(err.msg, "closing quote"));
}

static void test_limits(void **state)
{
    (void)state;
    /* A field longer than the cap. */
    size_t n = GJ_CSV_MAX_FIELD + 10;
    char *big = malloc(n + 8);
    assert_non_null(big);
    memcpy(big, "ok\n", 3);
    memset(big + 3, 'x', n);
    big[3 + n] = '\0';
    struct gj_csv_reader r;
    struct gj_error err;
    gj_csv_reader_init(&r, big, strlen(big));
    assert_int_equal(gj_csv_next(&r, &err), GJ_OK);
    assert_int_equal(gj_csv_next(&r, &err), GJ_EINVAL);
    assert_int_equal(r.line, 2);
    assert_non_null(strstr(err.msg, "longer than"));
    gj_csv_reader_free(&r);
    /* The same inside quotes. */
    big[3] = '"';
    gj_csv_reader_init(&r, big, strlen(big));
    assert_int_equal(gj_csv_next(&r, &err), GJ_OK);
    assert_int_equal(gj_csv_next(&r, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "longer than"));
    gj_csv_reader_free(&r);
    free(big);
    /* Too many fields on one line. */
    char commas[GJ_CSV_MAX_FIELDS + 8];
    memset(commas, ',', GJ_CSV_MAX_FIELDS);
    commas[GJ_CSV_MAX_FIELDS] = '\0';
    gj_csv_reader_init(&r, commas, strlen(commas));
    assert_int_equal(gj_csv_next(&r, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "fields"));
    gj_csv_reader_free(&r);
    commas[GJ_CSV_MAX_FIELDS - 1] = '\0';
    gj_csv_reader_init(&r, commas, strlen(commas));
    assert_int_equal(gj_csv_next(&r, &err), GJ_OK);
    assert_int_equal(r.nfields, GJ_CSV_MAX_FIELDS);
    gj_csv_reader_free(&r);
}

static void convert(const char *in, size_t len, int want_rc, enum gj_csv_encoding want_enc,
                    const char *want_text, long want_line)
{
    char *out = NULL;
    size_t outlen = 0;
    enum gj_csv_encoding enc = 0;
    long line = -1;
    struct gj_error err;
    int rc = gj_csv_to_utf8(in, len, &out, &outlen, &enc, &line, &err);
    assert_int_equal(rc, want_rc);
    if (rc == GJ_OK) {
        assert_int_equal(enc, want_enc);
        assert_non_null(out);
        assert_int_equal(outlen, strlen(want_text));
        assert_string_equal(out, want_text);
    } else {
        assert_null(out);
        assert_int_equal(line, want_line);
        if (want_text)
            assert_non_null(strstr(err.msg, want_text));
    }
    free(out);
}

static void test_encodings(void **state)
{
    (void)state;
    const char *utf8 = "房号,姓名\n3-2-501,张三\n";
    convert(utf8, strlen(utf8), GJ_OK, GJ_CSV_UTF8, utf8, 0);
    /* The BOM is dropped. */
    const char *bom = "\xEF\xBB\xBF房号,姓名\n";
    convert(bom, strlen(bom), GJ_OK, GJ_CSV_UTF8_BOM, "房号,姓名\n", 0);
    /* 张三 in GBK is D5C5 C8FD; 房号 is B7BF BAC5. */
    const char gbk[] = "\xB7\xBF\xBA\xC5,name\n3-2-501,\xD5\xC5\xC8\xFD\n";
    convert(gbk, sizeof gbk - 1, GJ_OK, GJ_CSV_GBK, "房号,name\n3-2-501,张三\n", 0);
    /* FE51 is one of the two-byte codes glibc reads as a character beyond
     * U+FFFF (U+20087, four bytes in UTF-8): a line of them is twice its
     * size once converted, more than the first guess of the buffer. The
     * text wanted is iconv's own reading, whatever its table says. */
    char fe51[2 * 40 + 2], want[4 * 40 + 8];
    for (int i = 0; i < 40; i++)
        memcpy(fe51 + 2 * i, "\xFE\x51", 2);
    memcpy(fe51 + 80, "\n", 2);
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    assert_true(cd != (iconv_t)-1);
    char *in = fe51, *o = want;
    size_t inleft = 81, oleft = sizeof want - 1;
    assert_true(iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1);
    *o = '\0';
    iconv_close(cd);
    assert_true(strlen(want) > 81 + 81 / 2 + 16); /* on glibc, with U+20087 */
    convert(fe51, 81, GJ_OK, GJ_CSV_GBK, want, 0);
    /* Neither UTF-8 nor GBK: the line of the bad byte (0xFF is never GBK). */
    const char junk[] = "unit,name\n3-2-501,ok\n3-2-502,\xFF\xFF\n";
    convert(junk, sizeof junk - 1, GJ_EINVAL, 0, "not valid UTF-8 or GBK", 3);
    /* A UTF-8 file with one bad byte far down: that line, not the first
     * Chinese one (which GBK cannot read). */
    const char mostly[] = "房号,姓名\n3-2-501,张三\n3-2-502,李四\n3-2-503,\xFF\n";
    convert(mostly, sizeof mostly - 1, GJ_EINVAL, 0, "not valid UTF-8 or GBK", 4);
    /* A GBK file with a bad byte far down: that line too. */
    const char gbk_bad[] = "\xB7\xBF\xBA\xC5\n\xD5\xC5\xC8\xFD\n\xD5\xC5\n\xFF\n";
    convert(gbk_bad, sizeof gbk_bad - 1, GJ_EINVAL, 0, "not valid UTF-8 or GBK", 4);
    /* A BOM then bytes that are not UTF-8. */
    const char bom_bad[] = "\xEF\xBB\xBFunit\n\xD5\xC5\n";
    convert(bom_bad, sizeof bom_bad - 1, GJ_EINVAL, 0, "UTF-8", 2);
    /* NUL bytes, workbooks, UTF-16. */
    const char nul[] = "a,b\r\nc\0d\n";
    convert(nul, sizeof nul - 1, GJ_EINVAL, 0, "NUL", 2);
    const char xlsx[] = "PK\x03\x04\x14\x00";
    convert(xlsx, sizeof xlsx - 1, GJ_EINVAL, 0, "xlsx", 1);
    const char utf16[] = "\xFF\xFEu\0n\0";
    convert(utf16, sizeof utf16 - 1, GJ_EINVAL, 0, "UTF-16", 1);
    /* An empty file is fine (and empty). */
    convert("", 0, GJ_OK, GJ_CSV_UTF8, "", 0);
}

static void test_writer_round_trip(void **state)
{
    (void)state;
    struct gj_csv_buf b = {0};
    struct gj_error err;
    const char *rec1[] = {"plain", "with,comma", "say \"hi\"", "", NULL, "two\nlines"};
    const char *rec2[] = {" lead", "trail\t", "张三", "a\r\nb"};
    assert_int_equal(gj_csv_format_record(&b, rec1, 6, &err), GJ_OK);
    assert_int_equal(gj_csv_format_record(&b, rec2, 4, &err), GJ_OK);
    assert_string_equal(b.data, "plain,\"with,comma\",\"say \"\"hi\"\"\",,,\"two\nlines\"\r\n"
                                "\" lead\",\"trail\t\",张三,\"a\r\nb\"\r\n");
    char out[1024];
    assert_int_equal(read_all(b.data, b.len, out, sizeof out, NULL, &err), GJ_ENOTFOUND);
    assert_string_equal(out, "1:plain|with,comma|say \"hi\"|||two\nlines\n"
                             "3: lead|trail\t|张三|a\nb\n");
    gj_csv_buf_free(&b);
    assert_null(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_records), cmocka_unit_test(test_quoted_fields),
        cmocka_unit_test(test_broken_quotes),  cmocka_unit_test(test_limits),
        cmocka_unit_test(test_encodings),      cmocka_unit_test(test_writer_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
