// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../../utils/Test.sol";
import {L1Block} from "../../../src/l2/predeploys/L1Block.sol";

contract L1BlockTest is Test {
    L1Block internal l1Block;
    address internal constant DEPOSITOR = 0xDeaDDEaDDeAdDeAdDEAdDEaddeAddEAdDEAd0001;

    function setUp() public {
        l1Block = new L1Block();
    }

    function _isthmus(
        uint32 baseFeeScalar,
        uint32 blobBaseFeeScalar,
        uint64 seq,
        uint64 ts,
        uint64 num,
        uint256 basefee,
        uint256 blobBaseFee,
        bytes32 h,
        bytes32 batcherHash,
        uint32 opScalar,
        uint64 opConstant
    ) internal pure returns (bytes memory) {
        return abi.encodePacked(
            bytes4(keccak256("setL1BlockValuesIsthmus()")),
            baseFeeScalar,
            blobBaseFeeScalar,
            seq,
            ts,
            num,
            basefee,
            blobBaseFee,
            h,
            batcherHash,
            opScalar,
            opConstant
        );
    }

    function test_selectorsMatchTheSpec() public pure {
        assertEq(bytes32(bytes4(keccak256("setL1BlockValuesIsthmus()"))), bytes32(bytes4(0x098999be)));
        assertEq(bytes32(bytes4(keccak256("setL1BlockValuesEcotone()"))), bytes32(bytes4(0x440a5e20)));
    }

    function test_isthmusSetsEveryValue() public {
        bytes memory data = _isthmus(1368, 810949, 3, 1700000012, 123456, 7 gwei, 2, keccak256("l1"), bytes32(uint256(0xbeef)), 11, 22);
        assertEq(data.length, 176);
        vm.prank(DEPOSITOR);
        (bool ok,) = address(l1Block).call(data);
        assertTrue(ok);
        assertEq(l1Block.baseFeeScalar(), 1368);
        assertEq(l1Block.blobBaseFeeScalar(), 810949);
        assertEq(l1Block.sequenceNumber(), 3);
        assertEq(l1Block.timestamp(), 1700000012);
        assertEq(l1Block.number(), 123456);
        assertEq(l1Block.basefee(), 7 gwei);
        assertEq(l1Block.blobBaseFee(), 2);
        assertEq(l1Block.hash(), keccak256("l1"));
        assertEq(l1Block.batcherHash(), bytes32(uint256(0xbeef)));
        assertEq(l1Block.operatorFeeScalar(), 11);
        assertEq(l1Block.operatorFeeConstant(), 22);
        assertEq(l1Block.l1FeeOverhead(), 0);
        assertEq(l1Block.l1FeeScalar(), 0);
    }

    /// The storage layout is OP Stack's: tools reading slots directly see the same values.
    function test_storageLayoutIsOpStacks() public {
        bytes memory data = _isthmus(5, 6, 7, 8, 9, 10, 11, bytes32(uint256(12)), bytes32(uint256(13)), 14, 15);
        vm.prank(DEPOSITOR);
        (bool ok,) = address(l1Block).call(data);
        assertTrue(ok);
        assertEq(vm.load(address(l1Block), bytes32(uint256(0))), bytes32(uint256(9) | (uint256(8) << 64)));
        assertEq(vm.load(address(l1Block), bytes32(uint256(1))), bytes32(uint256(10)));
        assertEq(vm.load(address(l1Block), bytes32(uint256(2))), bytes32(uint256(12)));
        assertEq(vm.load(address(l1Block), bytes32(uint256(3))), bytes32(uint256(7) | (uint256(6) << 64) | (uint256(5) << 96)));
        assertEq(vm.load(address(l1Block), bytes32(uint256(4))), bytes32(uint256(13)));
        assertEq(vm.load(address(l1Block), bytes32(uint256(7))), bytes32(uint256(11)));
        assertEq(vm.load(address(l1Block), bytes32(uint256(8))), bytes32(uint256(15) | (uint256(14) << 64)));
    }

    function test_ecotoneLeavesOperatorFee() public {
        bytes memory data = _isthmus(1, 2, 3, 4, 5, 6, 7, bytes32(uint256(8)), bytes32(uint256(9)), 10, 11);
        vm.prank(DEPOSITOR);
        (bool ok,) = address(l1Block).call(data);
        assertTrue(ok);
        bytes memory eco = abi.encodePacked(
            bytes4(keccak256("setL1BlockValuesEcotone()")), uint32(100), uint32(200), uint64(0), uint64(40), uint64(50),
            uint256(60), uint256(70), bytes32(uint256(80)), bytes32(uint256(90))
        );
        assertEq(eco.length, 164);
        vm.prank(DEPOSITOR);
        (ok,) = address(l1Block).call(eco);
        assertTrue(ok);
        assertEq(l1Block.number(), 50);
        assertEq(l1Block.baseFeeScalar(), 100);
        assertEq(l1Block.operatorFeeScalar(), 10);
        assertEq(l1Block.operatorFeeConstant(), 11);
    }

    function test_onlyTheDepositorSets() public {
        bytes memory data = _isthmus(1, 2, 3, 4, 5, 6, 7, bytes32(uint256(8)), bytes32(uint256(9)), 10, 11);
        (bool ok, bytes memory ret) = address(l1Block).call(data);
        assertFalse(ok);
        assertEq(bytes32(bytes4(ret)), bytes32(L1Block.NotDepositor.selector));
        vm.prank(makeAddr("someone"));
        vm.expectRevert(L1Block.NotDepositor.selector);
        l1Block.setL1BlockValuesEcotone();
        assertEq(l1Block.number(), 0);
    }

    /// Ours: the Isthmus layout followed by gasTokenPerEth, under setL1BlockValuesOpenLedger().
    function test_openLedgerLayoutSetsTheGasTokenRate() public {
        assertEq(bytes32(bytes4(keccak256("setL1BlockValuesOpenLedger()"))), bytes32(bytes4(0xe4c9b82c)));
        bytes memory isthmus = _isthmus(5, 6, 7, 8, 9, 10, 11, bytes32(uint256(12)), bytes32(uint256(13)), 14, 15);
        bytes memory data = bytes.concat(bytes4(0xe4c9b82c), _tail(isthmus), abi.encode(uint256(4000e18)));
        assertEq(data.length, 208);
        vm.prank(DEPOSITOR);
        (bool ok,) = address(l1Block).call(data);
        assertTrue(ok);
        assertEq(l1Block.gasTokenPerEth(), 4000e18);
        assertEq(vm.load(address(l1Block), bytes32(uint256(9))), bytes32(uint256(4000e18)));
        assertEq(vm.load(address(l1Block), bytes32(uint256(3))), bytes32(uint256(7) | (uint256(6) << 64) | (uint256(5) << 96)));
        assertEq(vm.load(address(l1Block), bytes32(uint256(8))), bytes32(uint256(15) | (uint256(14) << 64)));
        assertEq(l1Block.number(), 9);
        vm.expectRevert(L1Block.NotDepositor.selector);
        l1Block.setL1BlockValuesOpenLedger();
    }

    function _tail(bytes memory data) internal pure returns (bytes memory out) {
        out = new bytes(data.length - 4);
        for (uint256 i = 4; i < data.length; i++) {
            out[i - 4] = data[i];
        }
    }

    function test_version() public view {
        assertEq(keccak256(bytes(l1Block.version())), keccak256("1.0.0-openledger"));
    }
}
