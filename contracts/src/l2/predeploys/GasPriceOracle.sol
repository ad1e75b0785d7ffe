// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {L1Block} from "./L1Block.sol";

/// @title GasPriceOracle
/// @notice The predeploy at 0x420000000000000000000000000000000000000F that tells wallets and dApps what the L1 data
/// fee of a transaction is (OP Stack specs: protocol/fjord/exec-engine.md, fjord/predeploys.md). Fjord's rule: the
/// FastLZ length of the transaction estimates its compressed size in a batch,
///   estimated = max(100e6, -42_585_600 + 836_500 * fastLzSize)          (bytes, scaled by 1e6)
///   feeScaled = baseFeeScalar * l1BaseFee * 16 + blobBaseFeeScalar * blobBaseFee
/// and, OPEN being this chain's gas token, the fee is converted at L1Block's gasTokenPerEth (OPEN wei per ETH wei, 1e18):
///   l1Fee = estimated * feeScaled * gasTokenPerEth / 1e30.
/// Callers pass the unsigned transaction; 68 bytes stand for the signature, as OP's oracle does. The node charges the
/// same rule on the signed transaction (OpenLedger.Chain's L1DataFee). Our own implementation; Ecotone and Fjord are
/// active from genesis, so there is no pre-Fjord path.
contract GasPriceOracle {
    /// @notice Decimals of the fee scalars.
    uint256 public constant DECIMALS = 6;
    /// @notice Fjord's linear regression from FastLZ size to compressed size, scaled by 1e6.
    int256 private constant COST_INTERCEPT = -42_585_600;
    uint256 private constant COST_FASTLZ_COEF = 836_500;
    /// @notice Estimates below this many bytes are raised to it.
    uint256 private constant MIN_TRANSACTION_SIZE = 100;
    /// @notice 1e6 (scalars) * 1e6 (regression) * 1e18 (gas token rate).
    uint256 private constant FEE_DIVISOR = 1e30;

    L1Block private constant L1_BLOCK = L1Block(0x4200000000000000000000000000000000000015);

    /// @notice The semantic version of this implementation.
    function version() external pure returns (string memory) {
        return "1.3.0-openledger";
    }

    /// @notice Ecotone's fee rules are active (from genesis).
    function isEcotone() external pure returns (bool) {
        return true;
    }

    /// @notice Fjord's fee rules are active (from genesis).
    function isFjord() external pure returns (bool) {
        return true;
    }

    /// @notice The L1 data fee, in OPEN wei, of an unsigned, fully RLP-encoded transaction.
    /// @param _data the unsigned transaction
    function getL1Fee(bytes calldata _data) external view returns (uint256) {
        return _l1Cost(fastLzLength(_data) + 68);
    }

    /// @notice An upper bound of the L1 data fee for an unsigned transaction of this size (FastLZ's practical bound
    /// size + size / 255 + 16 covers 99.99% of transactions), much cheaper than getL1Fee.
    /// @param _unsignedTxSize length of the unsigned, RLP-encoded transaction
    function getL1FeeUpperBound(uint256 _unsignedTxSize) external view returns (uint256) {
        uint256 txSize = _unsignedTxSize + 68;
        return _l1Cost(txSize + txSize / 255 + 16);
    }

    /// @notice L1 gas the transaction's data is estimated to use (deprecated by OP since Fjord: it ignores blob gas).
    /// @param _data the unsigned transaction
    function getL1GasUsed(bytes calldata _data) external pure returns (uint256) {
        return _estimatedSize(fastLzLength(_data) + 68) * 16 / 1e6;
    }

    /// @notice The L2 base fee.
    function gasPrice() external view returns (uint256) {
        return block.basefee;
    }

    /// @notice The L2 base fee.
    function baseFee() external view returns (uint256) {
        return block.basefee;
    }

    /// @notice The L1 origin's base fee (ETH wei).
    function l1BaseFee() public view returns (uint256) {
        return L1_BLOCK.basefee();
    }

    /// @notice The L1 origin's blob base fee (ETH wei).
    function blobBaseFee() public view returns (uint256) {
        return L1_BLOCK.blobBaseFee();
    }

    /// @notice Scalar on the L1 base fee (1e6 = 1).
    function baseFeeScalar() public view returns (uint32) {
        return L1_BLOCK.baseFeeScalar();
    }

    /// @notice Scalar on the L1 blob base fee (1e6 = 1).
    function blobBaseFeeScalar() public view returns (uint32) {
        return L1_BLOCK.blobBaseFeeScalar();
    }

    /// @notice OPEN wei per ETH wei, scaled by 1e18: the rate the L1 data fee is charged in OPEN at.
    function gasTokenPerEth() public view returns (uint256) {
        return L1_BLOCK.gasTokenPerEth();
    }

    /// @notice Decimals of the fee scalars (6).
    function decimals() external pure returns (uint256) {
        return DECIMALS;
    }

    /// @notice Length of the FastLZ level-1 compression of `_data` (fastlz.c's fastlz1_compress), computed without
    /// writing the output: literal runs cost one byte per 32 plus the bytes, a match 2 or 3 bytes (3 more per 262).
    /// The hash table (8192 four-byte positions) lives past the free memory pointer for the duration of the call.
    function fastLzLength(bytes calldata _data) public pure returns (uint256 size) {
        bytes memory data = _data;
        assembly ("memory-safe") {
            // The little-endian 24-bit value at p, as fastlz reads it.
            function read24(p) -> v {
                let w := mload(p)
                v := or(or(byte(0, w), shl(8, byte(1, w))), shl(16, byte(2, w)))
            }
            function hashOf(v) -> h {
                h := and(shr(19, mul(v, 2654435769)), 8191)
            }
            function entry(table, h) -> e {
                e := shr(224, mload(add(table, shl(2, h))))
            }
            function setEntry(table, h, e) {
                let p := add(table, shl(2, h))
                mstore(p, or(shl(224, e), shr(32, shl(32, mload(p)))))
            }
            function literals(runs) -> n {
                n := mul(div(runs, 32), 33)
                let rest := mod(runs, 32)
                if rest { n := add(n, add(rest, 1)) }
            }
            function matchCode(l) -> n {
                for {} gt(l, 262) {} {
                    n := add(n, 3)
                    l := sub(l, 262)
                }
                n := add(n, add(2, iszero(lt(l, 7))))
            }

            let len := mload(data)
            let src := add(data, 0x20)
            let table := mload(0x40)
            calldatacopy(table, calldatasize(), 0x8020) // zeroes: 8192 entries and the last one's 28-byte tail
            let anchor := 0
            let ip := 2
            // fastlz's ip < ip_limit, with ip_limit = length - 13
            for {} lt(add(ip, 13), len) {} {
                let seq
                let ref
                for {} 1 {} {
                    seq := read24(add(src, ip))
                    let h := hashOf(seq)
                    ref := entry(table, h)
                    setEntry(table, h, ip)
                    let cmp := 0x1000000
                    if lt(sub(ip, ref), 8192) { cmp := read24(add(src, ref)) }
                    if iszero(lt(add(ip, 13), len)) { break }
                    ip := add(ip, 1)
                    if eq(seq, cmp) { break }
                }
                if iszero(lt(add(ip, 13), len)) { break }
                ip := sub(ip, 1)
                if gt(ip, anchor) { size := add(size, literals(sub(ip, anchor))) }
                // flz_cmp: bytes compared from ref + 3 and ip + 3 until the bound (length - 4), the mismatch counted
                let l := 0
                let p := add(src, add(ref, 3))
                let q := add(src, add(ip, 3))
                let bound := add(src, sub(len, 4))
                for {} lt(q, bound) {} {
                    l := add(l, 1)
                    if iszero(eq(byte(0, mload(p)), byte(0, mload(q)))) { break }
                    p := add(p, 1)
                    q := add(q, 1)
                }
                size := add(size, matchCode(l))
                ip := add(ip, l)
                setEntry(table, hashOf(read24(add(src, ip))), ip)
                ip := add(ip, 1)
                setEntry(table, hashOf(read24(add(src, ip))), ip)
                ip := add(ip, 1)
                anchor := ip
            }
            size := add(size, literals(sub(len, anchor)))
        }
    }

    function _estimatedSize(uint256 _fastLzSize) private pure returns (uint256) {
        int256 estimated = COST_INTERCEPT + int256(COST_FASTLZ_COEF * _fastLzSize);
        int256 minimum = int256(MIN_TRANSACTION_SIZE * 1e6);
        return uint256(estimated < minimum ? minimum : estimated);
    }

    function _l1Cost(uint256 _fastLzSize) private view returns (uint256) {
        uint256 feeScaled = uint256(baseFeeScalar()) * 16 * l1BaseFee() + uint256(blobBaseFeeScalar()) * blobBaseFee();
        return _estimatedSize(_fastLzSize) * feeScaled * gasTokenPerEth() / FEE_DIVISOR;
    }
}
