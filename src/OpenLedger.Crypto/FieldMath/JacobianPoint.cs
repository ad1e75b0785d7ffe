namespace OpenLedger.Crypto.FieldMath;

/// <summary>Affine point on y^2 = x^3 + b over T; Infinity flags the identity.</summary>
internal readonly struct AffinePoint<T> where T : struct, IField<T>
{
    public readonly T X, Y;
    public readonly bool Infinity;

    public AffinePoint(in T x, in T y)
    {
        X = x;
        Y = y;
        Infinity = false;
    }

    private AffinePoint(bool inf)
    {
        X = default;
        Y = default;
        Infinity = inf;
    }

    public static AffinePoint<T> Identity => new(true);

    public bool IsOnCurve(in T b) => Infinity || T.Equal(T.Square(Y), T.Add(T.Mul(T.Square(X), X), b));

    public AffinePoint<T> Negate() => Infinity ? this : new(X, T.Neg(Y));

    public JacobianPoint<T> ToJacobian() => Infinity ? JacobianPoint<T>.Identity : new(X, Y, T.One);
}

/// <summary>Jacobian point (X/Z^2, Y/Z^3) on a short Weierstrass curve with a = 0; Z = 0 is the identity.</summary>
internal readonly struct JacobianPoint<T> where T : struct, IField<T>
{
    public readonly T X, Y, Z;

    public JacobianPoint(in T x, in T y, in T z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public static JacobianPoint<T> Identity => new(T.One, T.One, T.Zero);
    public bool IsIdentity => Z.IsZero;

    public JacobianPoint<T> Negate() => new(X, T.Neg(Y), Z);

    public JacobianPoint<T> Double()
    {
        if (IsIdentity || Y.IsZero) return Identity;
        // dbl-2009-l
        T a = T.Square(X), b = T.Square(Y), c = T.Square(b);
        T d = T.Double(T.Sub(T.Sub(T.Square(T.Add(X, b)), a), c));
        T e = T.Add(T.Double(a), a);
        T f = T.Square(e);
        T x3 = T.Sub(f, T.Double(d));
        T c8 = T.Double(T.Double(T.Double(c)));
        T y3 = T.Sub(T.Mul(e, T.Sub(d, x3)), c8);
        T z3 = T.Double(T.Mul(Y, Z));
        return new(x3, y3, z3);
    }

    public JacobianPoint<T> Add(in JacobianPoint<T> q)
    {
        if (IsIdentity) return q;
        if (q.IsIdentity) return this;
        // add-2007-bl, with the equal/opposite cases handled explicitly.
        T z1z1 = T.Square(Z), z2z2 = T.Square(q.Z);
        T u1 = T.Mul(X, z2z2), u2 = T.Mul(q.X, z1z1);
        T s1 = T.Mul(T.Mul(Y, q.Z), z2z2), s2 = T.Mul(T.Mul(q.Y, Z), z1z1);
        if (T.Equal(u1, u2)) return T.Equal(s1, s2) ? Double() : Identity;
        T h = T.Sub(u2, u1);
        T i = T.Square(T.Double(h));
        T j = T.Mul(h, i);
        T r = T.Double(T.Sub(s2, s1));
        T v = T.Mul(u1, i);
        T x3 = T.Sub(T.Sub(T.Square(r), j), T.Double(v));
        T y3 = T.Sub(T.Mul(r, T.Sub(v, x3)), T.Double(T.Mul(s1, j)));
        T z3 = T.Mul(T.Sub(T.Sub(T.Square(T.Add(Z, q.Z)), z1z1), z2z2), h);
        return new(x3, y3, z3);
    }

    /// <summary>
    /// this + q for an affine q (mixed addition, madd-2007-bl: 7M + 4S instead of 11M + 5S), with the equal/opposite
    /// cases handled explicitly.
    /// </summary>
    public JacobianPoint<T> AddAffine(in AffinePoint<T> q)
    {
        if (q.Infinity) return this;
        if (IsIdentity) return q.ToJacobian();
        T z1z1 = T.Square(Z);
        T u2 = T.Mul(q.X, z1z1), s2 = T.Mul(T.Mul(q.Y, Z), z1z1);
        if (T.Equal(X, u2)) return T.Equal(Y, s2) ? Double() : Identity;
        T h = T.Sub(u2, X);
        T hh = T.Square(h);
        T i = T.Double(T.Double(hh));
        T j = T.Mul(h, i);
        T r = T.Double(T.Sub(s2, Y));
        T v = T.Mul(X, i);
        T x3 = T.Sub(T.Sub(T.Square(r), j), T.Double(v));
        T y3 = T.Sub(T.Mul(r, T.Sub(v, x3)), T.Double(T.Mul(Y, j)));
        T z3 = T.Sub(T.Sub(T.Square(T.Add(Z, h)), z1z1), hh);
        return new(x3, y3, z3);
    }

    /// <summary>[k]q for an affine q by double-and-add with mixed additions (sparse scalars such as the BLS parameter).</summary>
    public static JacobianPoint<T> MultiplyBinary(in AffinePoint<T> q, ulong k)
    {
        JacobianPoint<T> r = Identity;
        for (int i = 63 - System.Numerics.BitOperations.LeadingZeroCount(k); i >= 0; i--)
        {
            r = r.Double();
            if (((k >> i) & 1) != 0) r = r.AddAffine(q);
        }
        return r;
    }

    /// <summary>Scalar multiplication by a big-endian unsigned integer of any length (fixed 4-bit window).</summary>
    public JacobianPoint<T> Multiply(ReadOnlySpan<byte> scalarBe)
    {
        Span<JacobianPoint<T>> table = new JacobianPoint<T>[16];
        table[1] = this;
        for (int i = 2; i < 16; i++) table[i] = (i & 1) == 0 ? table[i / 2].Double() : table[i - 1].Add(this);
        JacobianPoint<T> r = Identity;
        bool started = false;
        foreach (byte by in scalarBe)
        {
            for (int shift = 4; shift >= 0; shift -= 4)
            {
                if (started) r = r.Double().Double().Double().Double();
                int digit = (by >> shift) & 15;
                if (digit == 0) continue;
                r = started ? r.Add(table[digit]) : table[digit];
                started = true;
            }
        }
        return r;
    }

    /// <summary>Plain double-and-add: cheaper than the window for sparse scalars such as the BLS parameter |x|.</summary>
    public JacobianPoint<T> MultiplyBinary(ulong k)
    {
        JacobianPoint<T> r = Identity;
        for (int i = 63 - System.Numerics.BitOperations.LeadingZeroCount(k); i >= 0; i--)
        {
            r = r.Double();
            if (((k >> i) & 1) != 0) r = r.Add(this);
        }
        return r;
    }

    public AffinePoint<T> ToAffine()
    {
        if (IsIdentity) return AffinePoint<T>.Identity;
        T zi = T.Inverse(Z);
        T zi2 = T.Square(zi);
        return new(T.Mul(X, zi2), T.Mul(Y, T.Mul(zi2, zi)));
    }

    public bool EqualTo(in JacobianPoint<T> q)
    {
        if (IsIdentity || q.IsIdentity) return IsIdentity && q.IsIdentity;
        T z1z1 = T.Square(Z), z2z2 = T.Square(q.Z);
        return T.Equal(T.Mul(X, z2z2), T.Mul(q.X, z1z1))
            && T.Equal(T.Mul(T.Mul(Y, q.Z), z2z2), T.Mul(T.Mul(q.Y, Z), z1z1));
    }
}
