// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {SystemConfig} from "../../src/l1/SystemConfig.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

contract SystemConfigTest is Test {
    event ConfigUpdate(uint256 indexed version, SystemConfig.UpdateType indexed updateType, bytes data);

    SystemConfig internal sc;
    address internal gov = makeAddr("gov");
    address internal batcher = makeAddr("batcher");

    function setUp() public {
        sc = new SystemConfig(gov, batcher, 1368, 810949, 30_000_000, makeAddr("signer"));
    }

    function test_initialValues() public view {
        assertEq(sc.batcher(), batcher);
        assertEq(sc.batcherHash(), bytes32(uint256(uint160(batcher))));
        assertEq(sc.basefeeScalar(), 1368);
        assertEq(sc.blobbasefeeScalar(), 810949);
        // 0x01 ++ zeros ++ blobBaseFeeScalar ++ baseFeeScalar, as derivation decodes it
        assertEq(bytes32(sc.scalar()), bytes32(0x010000000000000000000000000000000000000000000000000c5fc500000558));
        assertEq(sc.gasLimit(), 30_000_000);
        assertEq(sc.owner(), gov);
    }

    function test_setBatcher_emitsConfigUpdate() public {
        address next = makeAddr("next");
        vm.expectEmit(true, true, true, true);
        emit ConfigUpdate(0, SystemConfig.UpdateType.BATCHER, abi.encode(bytes32(uint256(uint160(next)))));
        vm.prank(gov);
        sc.setBatcher(next);
        assertEq(sc.batcher(), next);
    }

    function test_setGasLimit_bounds() public {
        vm.startPrank(gov);
        vm.expectRevert(abi.encodeWithSelector(SystemConfig.GasLimitOutOfRange.selector, uint64(999_999)));
        sc.setGasLimit(999_999);
        vm.expectEmit(true, true, true, true);
        emit ConfigUpdate(0, SystemConfig.UpdateType.GAS_LIMIT, abi.encode(uint64(60_000_000)));
        sc.setGasLimit(60_000_000);
        vm.stopPrank();
        assertEq(sc.gasLimit(), 60_000_000);
    }

    function test_setGasConfigEcotone() public {
        vm.prank(gov);
        sc.setGasConfigEcotone(7, 9);
        assertEq(sc.basefeeScalar(), 7);
        assertEq(sc.blobbasefeeScalar(), 9);
    }

    /// Ours: the rate the L1 data fee is converted to OPEN at, ConfigUpdate type 8 with abi.encode(uint256).
    function test_setGasTokenPerEth_emitsConfigUpdate() public {
        assertEq(sc.gasTokenPerEth(), 0);
        assertEq(uint8(SystemConfig.UpdateType.GAS_TOKEN_RATE), 8);
        vm.expectEmit(true, true, true, true);
        emit ConfigUpdate(0, SystemConfig.UpdateType.GAS_TOKEN_RATE, abi.encode(uint256(4000e18)));
        vm.prank(gov);
        sc.setGasTokenPerEth(4000e18);
        assertEq(sc.gasTokenPerEth(), 4000e18);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(this)));
        sc.setGasTokenPerEth(1);
    }

    function test_onlyOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(this)));
        sc.setBatcher(address(this));
        vm.prank(gov);
        vm.expectRevert(SystemConfig.ZeroBatcher.selector);
        sc.setBatcher(address(0));
    }
}
