package io.weft.compiler.check;

/** JSON Pointer (RFC 6901) building. */
final class Pointers {

    private Pointers() {
    }

    static String node(int index) {
        return "/nodes/" + index;
    }

    static String connection(int index) {
        return "/connections/" + index;
    }

    static String child(String parent, String member) {
        return parent + "/" + member.replace("~", "~0").replace("/", "~1");
    }

    static String child(String parent, int index) {
        return parent + "/" + index;
    }
}
