/*
 * q35's SMM registers as QEMU's q35 tests and firmware read them, black
 * box through 0xCF8/0xCFC: SMRAM (0x9d) and its D_LCK, ESMRAMC (0x9e)
 * and its TSEG size field, the extended TSEG size (0x50), and the
 * SMRAM-at-SMBASE negotiation (0x9c); system_reset unlocks them all.
 */
#include <glib.h>

#include "libqtest.h"

#define SMBASE      0x9c
#define SMRAM       0x9d
#define ESMRAMC     0x9e
#define EXT_TSEG    0x50

#define D_OPEN      0x40
#define D_CLS       0x20
#define D_LCK       0x10
#define G_SMRAME    0x08
#define C_BASE_SEG  0x02
#define T_EN        0x01
#define TSEG_8MB    0x04
#define H_SMRAME    0x80

static uint8_t mch_readb(QTestState *s, uint8_t off)
{
    qtest_outl(s, 0xcf8, 0x80000000u | (off & 0xfc));
    return qtest_inb(s, 0xcfc + (off & 3));
}

static void mch_writeb(QTestState *s, uint8_t off, uint8_t val)
{
    qtest_outl(s, 0xcf8, 0x80000000u | (off & 0xfc));
    qtest_outb(s, 0xcfc + (off & 3), val);
}

static uint16_t mch_readw(QTestState *s, uint8_t off)
{
    qtest_outl(s, 0xcf8, 0x80000000u | (off & 0xfc));
    return qtest_inw(s, 0xcfc + (off & 2));
}

static void test_defaults(void)
{
    QTestState *s = qtest_init("-M q35");

    g_assert_cmphex(mch_readb(s, SMRAM), ==, C_BASE_SEG);
    g_assert_cmphex(mch_readb(s, ESMRAMC), ==, 0x38);
    g_assert_cmphex(mch_readb(s, SMBASE), ==, 0);
    /* QEMU's extended TSEG: 64 MiB on current machine types. */
    g_assert_cmphex(mch_readw(s, EXT_TSEG), ==, 64);
    qtest_quit(s);
}

static void test_smram_lock(void)
{
    QTestState *s = qtest_init("-M q35");

    /* C_BASE_SEG is hardwired; D_OPEN and G_SMRAME are writable. */
    mch_writeb(s, SMRAM, D_OPEN | G_SMRAME);
    g_assert_cmphex(mch_readb(s, SMRAM), ==, D_OPEN | G_SMRAME | C_BASE_SEG);
    mch_writeb(s, ESMRAMC, H_SMRAME | TSEG_8MB | T_EN);
    g_assert_cmphex(mch_readb(s, ESMRAMC), ==,
                    0x38 | H_SMRAME | TSEG_8MB | T_EN);
    /* D_LCK closes SMRAM and freezes all but D_CLS, and ESMRAMC. */
    mch_writeb(s, SMRAM, D_OPEN | D_LCK | G_SMRAME);
    g_assert_cmphex(mch_readb(s, SMRAM), ==, D_LCK | G_SMRAME | C_BASE_SEG);
    mch_writeb(s, SMRAM, D_OPEN);
    g_assert_cmphex(mch_readb(s, SMRAM), ==, D_LCK | G_SMRAME | C_BASE_SEG);
    mch_writeb(s, SMRAM, D_CLS | D_LCK | G_SMRAME);
    g_assert_cmphex(mch_readb(s, SMRAM), ==,
                    D_CLS | D_LCK | G_SMRAME | C_BASE_SEG);
    mch_writeb(s, ESMRAMC, 0);
    g_assert_cmphex(mch_readb(s, ESMRAMC), ==,
                    0x38 | H_SMRAME | TSEG_8MB | T_EN);
    /* Reset unlocks. */
    qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(s, "RESET");
    g_assert_cmphex(mch_readb(s, SMRAM), ==, C_BASE_SEG);
    mch_writeb(s, SMRAM, D_OPEN);
    g_assert_cmphex(mch_readb(s, SMRAM), ==, D_OPEN | C_BASE_SEG);
    qtest_quit(s);
}

static void test_smbase_negotiation(void)
{
    QTestState *s = qtest_init("-M q35");

    mch_writeb(s, SMBASE, 0xff);            /* QUERY */
    g_assert_cmphex(mch_readb(s, SMBASE), ==, 0x01);    /* IN_RAM */
    mch_writeb(s, SMBASE, 0x02);            /* LCK */
    g_assert_cmphex(mch_readb(s, SMBASE), ==, 0x02);
    mch_writeb(s, SMBASE, 0xff);
    g_assert_cmphex(mch_readb(s, SMBASE), ==, 0x02);
    mch_writeb(s, SMBASE, 0x00);
    g_assert_cmphex(mch_readb(s, SMBASE), ==, 0x02);
    qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(s, "RESET");
    g_assert_cmphex(mch_readb(s, SMBASE), ==, 0);
    mch_writeb(s, SMBASE, 0xff);
    g_assert_cmphex(mch_readb(s, SMBASE), ==, 0x01);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/q35/smram/defaults", test_defaults);
    g_test_add_func("/q35/smram/lock", test_smram_lock);
    g_test_add_func("/q35/smram/smbase-negotiation", test_smbase_negotiation);
    return g_test_run();
}
