// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../../utils/Test.sol";
import {L1Block} from "../../../src/l2/predeploys/L1Block.sol";
import {GasPriceOracle} from "../../../src/l2/predeploys/GasPriceOracle.sol";

/// Our GasPriceOracle over our L1Block at their predeploy addresses. OpenLedger.Chain.Tests' L1DataFeeTests hold its
/// FastLZ and fees equal to OP's published oracle and to the node's rule on thousands of inputs; these cover the paths.
contract GasPriceOracleTest is Test {
    address internal constant DEPOSITOR = 0xDeaDDEaDDeAdDeAdDEAdDEaddeAddEAdDEAd0001;
    L1Block internal constant L1_BLOCK = L1Block(0x4200000000000000000000000000000000000015);
    GasPriceOracle internal oracle = GasPriceOracle(0x420000000000000000000000000000000000000F);

    uint256 internal constant L1_BASE_FEE = 30 gwei;
    uint256 internal constant BLOB_BASE_FEE = 5_000_000;
    uint256 internal constant RATE = 4000e18;

    function setUp() public {
        vm.etch(address(L1_BLOCK), address(new L1Block()).code);
        vm.etch(address(oracle), address(new GasPriceOracle()).code);
        // Two pieces: one abi.encodePacked of 13 values is too deep for the unoptimized build `forge coverage` makes.
        bytes memory data = bytes.concat(
            abi.encodePacked(bytes4(0xe4c9b82c), uint32(1368), uint32(810949), uint64(0), uint64(1000), uint64(7), L1_BASE_FEE),
            abi.encodePacked(BLOB_BASE_FEE, bytes32(uint256(1)), bytes32(uint256(2)), uint32(0), uint64(0), RATE)
        );
        vm.prank(DEPOSITOR);
        (bool ok,) = address(L1_BLOCK).call(data);
        assertTrue(ok);
    }

    function _bytes(uint256 n, bytes32 seed) internal pure returns (bytes memory out) {
        out = new bytes(n);
        for (uint256 i = 0; i < n; i += 32) {
            bytes32 w = keccak256(abi.encode(seed, i));
            for (uint256 j = 0; j < 32 && i + j < n; j++) {
                out[i + j] = w[j];
            }
        }
    }

    function _fee(uint256 flz) internal pure returns (uint256) {
        int256 est = -42_585_600 + int256(836_500 * flz);
        if (est < 100e6) est = 100e6;
        return uint256(est) * (1368 * 16 * L1_BASE_FEE + 810949 * BLOB_BASE_FEE) * RATE / 1e30;
    }

    function test_fastLzLength_knownLengths() public view {
        assertEq(oracle.fastLzLength(""), 0);
        assertEq(oracle.fastLzLength("hello"), 6); // one literal run: a header byte and the bytes
        assertEq(oracle.fastLzLength(new bytes(64)), 12); // 2 literals, one match, 5 trailing literals
        assertEq(oracle.fastLzLength(new bytes(1000)), 21); // a match longer than 262 takes 3 codes of 3 bytes, then one more
        assertEq(oracle.fastLzLength(_bytes(100, "r")), 104); // incompressible: 3 runs of 32 and one of 4
    }

    function test_fastLzLength_compressesRepeats() public view {
        // Short repeats (matches under 7 bytes), and a repeat beyond the 8192-byte window (not matched).
        bytes memory word = "abcdXYZ";
        bytes memory data = bytes.concat(word, "0123", word, "4567", word, _bytes(9000, "far"), word, word);
        uint256 n = oracle.fastLzLength(data);
        assertLt(n, data.length + data.length / 32 + 1, "no worse than literals");
        assertGt(n, 9000, "the random middle does not compress");
    }

    function test_getL1Fee_isFjordsRuleInOpen() public view {
        bytes memory tx_ = _bytes(250, "tx");
        uint256 flz = oracle.fastLzLength(tx_);
        assertEq(oracle.getL1Fee(tx_), _fee(flz + 68));
        assertEq(oracle.getL1Fee(""), _fee(68)); // below the minimum size: 100 bytes are charged
        assertEq(oracle.getL1GasUsed(tx_), uint256(-42_585_600 + int256(836_500 * (flz + 68))) * 16 / 1e6);
        uint256 size = tx_.length + 68;
        assertEq(oracle.getL1FeeUpperBound(tx_.length), _fee(size + size / 255 + 16));
        assertGe(oracle.getL1FeeUpperBound(tx_.length), oracle.getL1Fee(tx_), "upper bound");
    }

    function test_zeroRate_chargesNothing() public {
        vm.store(address(L1_BLOCK), bytes32(uint256(9)), bytes32(0));
        assertEq(oracle.gasTokenPerEth(), 0);
        assertEq(oracle.getL1Fee(_bytes(250, "tx")), 0);
    }

    function test_getters() public {
        vm.fee(7 gwei);
        assertEq(oracle.l1BaseFee(), L1_BASE_FEE);
        assertEq(oracle.blobBaseFee(), BLOB_BASE_FEE);
        assertEq(oracle.baseFeeScalar(), 1368);
        assertEq(oracle.blobBaseFeeScalar(), 810949);
        assertEq(oracle.gasTokenPerEth(), RATE);
        assertEq(oracle.decimals(), 6);
        assertEq(oracle.DECIMALS(), 6);
        assertTrue(oracle.isFjord());
        assertTrue(oracle.isEcotone());
        assertEq(oracle.gasPrice(), 7 gwei);
        assertEq(oracle.baseFee(), 7 gwei);
        assertEq(keccak256(bytes(oracle.version())), keccak256("1.3.0-openledger"));
    }
}
