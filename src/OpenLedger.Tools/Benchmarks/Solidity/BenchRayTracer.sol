// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// `bench evm` workload: a small ray tracer in 16.16 fixed point (int256). Three spheres over a checkered floor,
/// one point light with hard shadows, Lambert shading. `render` returns a checksum of all pixel values, so a run
/// on two EVMs can be compared. Written for the benchmark: it exercises checked signed arithmetic, memory structs,
/// internal calls and an integer square root, as compiled Solidity does.
contract BenchRayTracer {
    int256 private constant ONE = 1 << 16;

    struct Vec {
        int256 x;
        int256 y;
        int256 z;
    }

    struct Sphere {
        Vec c;
        int256 r;
        int256 shade;
    }

    function render(uint256 width, uint256 height) external pure returns (uint256 checksum) {
        Sphere[3] memory s = [
            Sphere(Vec(0, ONE, 5 * ONE), ONE, 200),
            Sphere(Vec(-2 * ONE, ONE / 2, 4 * ONE), ONE / 2, 120),
            Sphere(Vec(2 * ONE, (ONE * 3) / 4, 6 * ONE), (ONE * 3) / 4, 160)
        ];
        Vec memory light = Vec(-3 * ONE, 6 * ONE, 0);
        Vec memory eye = Vec(0, ONE, 0);
        for (uint256 py = 0; py < height; py++) {
            for (uint256 px = 0; px < width; px++) {
                Vec memory dir = normalize(
                    Vec((int256(px) * 2 * ONE) / int256(width) - ONE, ONE - (int256(py) * 2 * ONE) / int256(height), ONE)
                );
                uint256 c = trace(eye, dir, s, light);
                unchecked {
                    checksum = checksum * 31 + c;
                }
            }
        }
    }

    function trace(Vec memory o, Vec memory d, Sphere[3] memory s, Vec memory light) internal pure returns (uint256) {
        int256 best = type(int256).max;
        int256 shade;
        Vec memory hit;
        Vec memory n;
        for (uint256 i = 0; i < 3; i++) {
            int256 t = hitSphere(o, d, s[i]);
            if (t > 0 && t < best) {
                best = t;
                shade = s[i].shade;
                hit = add(o, scale(d, t));
                n = normalize(sub(hit, s[i].c));
            }
        }
        if (d.y < 0) {
            int256 t = (-o.y * ONE) / d.y;
            if (t > 0 && t < best) {
                best = t;
                hit = add(o, scale(d, t));
                n = Vec(0, ONE, 0);
                shade = (((hit.x >> 16) + (hit.z >> 16)) & 1) == 0 ? int256(90) : int256(40);
            }
        }
        if (best == type(int256).max) return 20;
        Vec memory l = normalize(sub(light, hit));
        int256 diffuse = dot(n, l);
        if (diffuse < 0) diffuse = 0;
        Vec memory start = add(hit, scale(n, ONE / 64));
        for (uint256 i = 0; i < 3; i++) {
            if (hitSphere(start, l, s[i]) > 0) {
                diffuse /= 4;
                break;
            }
        }
        return uint256((shade * (ONE / 8 + diffuse)) / ONE);
    }

    function hitSphere(Vec memory o, Vec memory d, Sphere memory s) internal pure returns (int256) {
        Vec memory oc = sub(o, s.c);
        int256 b = dot(oc, d);
        int256 c = dot(oc, oc) - (s.r * s.r) / ONE;
        int256 disc = (b * b) / ONE - c;
        if (disc < 0) return -1;
        int256 root = sqrt(disc);
        int256 t = -b - root;
        if (t > 0) return t;
        t = -b + root;
        return t > 0 ? t : int256(-1);
    }

    function add(Vec memory a, Vec memory b) internal pure returns (Vec memory) {
        return Vec(a.x + b.x, a.y + b.y, a.z + b.z);
    }

    function sub(Vec memory a, Vec memory b) internal pure returns (Vec memory) {
        return Vec(a.x - b.x, a.y - b.y, a.z - b.z);
    }

    function scale(Vec memory a, int256 k) internal pure returns (Vec memory) {
        return Vec((a.x * k) / ONE, (a.y * k) / ONE, (a.z * k) / ONE);
    }

    function dot(Vec memory a, Vec memory b) internal pure returns (int256) {
        return (a.x * b.x + a.y * b.y + a.z * b.z) / ONE;
    }

    function normalize(Vec memory a) internal pure returns (Vec memory) {
        int256 len = sqrt(dot(a, a));
        if (len == 0) return a;
        return Vec((a.x * ONE) / len, (a.y * ONE) / len, (a.z * ONE) / len);
    }

    /// Square root of a non-negative fixed-point number (Newton's method on x * ONE).
    function sqrt(int256 x) internal pure returns (int256) {
        if (x <= 0) return 0;
        uint256 v = uint256(x) * uint256(ONE);
        uint256 r = v;
        uint256 y = (r + 1) / 2;
        while (y < r) {
            r = y;
            y = (r + v / r) / 2;
        }
        return int256(r);
    }
}
