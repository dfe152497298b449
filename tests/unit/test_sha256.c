#include "mn_test.h"
#include "mnsim/sha256.h"

static void hash(const char *msg, size_t n, char out[65])
{
    mn_sha256 s;
    mn_sha256_init(&s);
    mn_sha256_update(&s, msg, n);
    mn_sha256_hex(&s, out);
}

int main(void)
{
    char h[65];
    /* FIPS 180-4 / NIST examples. */
    hash("", 0, h);
    CHECK(!strcmp(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    hash("abc", 3, h);
    CHECK(!strcmp(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    hash(m, strlen(m), h);
    CHECK(!strcmp(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    /* One million 'a', fed in uneven pieces. */
    mn_sha256 s;
    mn_sha256_init(&s);
    char a[997];
    memset(a, 'a', sizeof a);
    size_t left = 1000000;
    while (left) {
        size_t n = left < sizeof a ? left : sizeof a;
        mn_sha256_update(&s, a, n);
        left -= n;
    }
    mn_sha256_hex(&s, h);
    CHECK(!strcmp(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    return mn_test_report("sha256");
}
