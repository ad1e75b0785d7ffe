// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RollupSetup} from "../../utils/RollupSetup.sol";
import {TrieVectors} from "../../fixtures/TrieVectors.sol";
import {OpenPortal} from "../../../src/l1/rollup/OpenPortal.sol";
import {L2OutputOracle} from "../../../src/l1/rollup/L2OutputOracle.sol";
import {RollupHashing, RollupTypes} from "../../../src/libraries/RollupHashing.sol";
import {MerkleTrie} from "../../../src/libraries/MerkleTrie.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @notice A contract depositing through the portal (its sender is aliased).
contract Depositor {
    function deposit(OpenPortal portal) external {
        portal.depositTransaction(address(1), 0, 100_000, false, "");
    }
}

/// @notice Withdrawal target that records the portal's l2Sender during its call.
contract SenderRecorder {
    OpenPortal internal immutable portal;
    address public seen; // slot 0 (at whatever address this code runs)

    constructor(OpenPortal portal_) {
        portal = portal_;
    }

    fallback() external {
        seen = portal.l2Sender();
    }
}

/// @notice Withdrawal target that tries to finalize withdrawal 0 again from inside its call.
contract Reenterer {
    OpenPortal internal immutable portal;

    constructor(OpenPortal portal_) {
        portal = portal_;
    }

    fallback() external {
        portal.finalizeWithdrawalTransaction(
            RollupTypes.WithdrawalTransaction(
                TrieVectors.NONCE_0,
                TrieVectors.SENDER,
                TrieVectors.TARGET,
                TrieVectors.VALUE_0,
                TrieVectors.GAS_0,
                TrieVectors.DATA_0
            )
        );
    }
}

contract OpenPortalTest is RollupSetup {
    event TransactionDeposited(address indexed from, address indexed to, uint256 indexed version, bytes opaqueData);
    event WithdrawalProven(bytes32 indexed withdrawalHash, address indexed from, address indexed to);
    event WithdrawalFinalized(bytes32 indexed withdrawalHash, bool success);

    function setUp() public {
        _deployRollup();
        // OPEN deposited so that the portal holds what the vectors' withdrawals release.
        vm.prank(user);
        portal.depositERC20Transaction(user, 10e18, 0, 100_000, false, "");
    }

    function _wd(uint256 i) internal pure returns (RollupTypes.WithdrawalTransaction memory w) {
        if (i == 0) {
            w = RollupTypes.WithdrawalTransaction(
                TrieVectors.NONCE_0, TrieVectors.SENDER, TrieVectors.TARGET, TrieVectors.VALUE_0, TrieVectors.GAS_0, TrieVectors.DATA_0
            );
        } else if (i == 1) {
            w = RollupTypes.WithdrawalTransaction(
                TrieVectors.NONCE_1, TrieVectors.SENDER, TrieVectors.TARGET, TrieVectors.VALUE_1, TrieVectors.GAS_1, TrieVectors.DATA_1
            );
        } else {
            w = RollupTypes.WithdrawalTransaction(
                TrieVectors.NONCE_2, TrieVectors.SENDER, TrieVectors.TARGET, TrieVectors.VALUE_2, TrieVectors.GAS_2, TrieVectors.DATA_2
            );
        }
    }

    function _proof(uint256 i) internal pure returns (bytes[] memory) {
        if (i == 0) return TrieVectors.proof0();
        if (i == 1) return TrieVectors.proof1();
        return TrieVectors.proof2();
    }

    /// @dev Proposes an output committing to the vectors' message-passer storage root.
    function _proposeVectors() internal returns (uint256) {
        return _propose(RollupHashing.outputRoot(_rootProof(TrieVectors.STORAGE_ROOT)));
    }

    function _prove(uint256 i, uint256 index) internal {
        portal.proveWithdrawalTransaction(_wd(i), index, _rootProof(TrieVectors.STORAGE_ROOT), _proof(i));
    }

    /// @dev A withdrawal (varying its nonce) whose storage key's first nibble hits an empty slot of the root branch.
    function _absentWithdrawal(bytes memory rootBranch) internal pure returns (RollupTypes.WithdrawalTransaction memory w) {
        w = _wd(0);
        for (uint256 n;; ++n) {
            w.nonce = n;
            bytes32 key = keccak256(abi.encode(keccak256(abi.encode(RollupHashing.withdrawalHash(w), uint256(0)))));
            uint8 nibble = uint8(key[0]) >> 4;
            // The root branch's items: 0x80 marks an empty slot; count items by walking the RLP (hash items are 33 bytes).
            uint256 ptr = 3; // f891 list header + ... (2-byte long-list header, then items)
            for (uint8 i; i < nibble; ++i) ptr += uint8(rootBranch[ptr]) == 0x80 ? 1 : 33;
            if (uint8(rootBranch[ptr]) == 0x80) return w;
        }
    }

    // ---------------------------------------------------------------- deposits

    function test_depositERC20_escrowsAndEmits() public {
        uint256 before = token.balanceOf(user);
        vm.expectEmit(address(portal));
        emit TransactionDeposited(user, address(7), 0, abi.encodePacked(uint256(5e18), uint256(1e18), uint64(50_000), false, hex"abcd"));
        vm.prank(user);
        portal.depositERC20Transaction(address(7), 5e18, 1e18, 50_000, false, hex"abcd");
        assertEq(token.balanceOf(user), before - 5e18);
        assertEq(portal.escrowed(), 15e18);
        assertEq(token.balanceOf(address(portal)), 15e18);
        assertEq(portal.totalDeposited(), 15e18);
    }

    function test_depositTransaction_messageWithoutMint() public {
        vm.expectEmit(address(portal));
        emit TransactionDeposited(user, address(0), 0, abi.encodePacked(uint256(0), uint256(3), uint64(21_000 + 40 * 2), true, hex"6000"));
        vm.prank(user);
        portal.depositTransaction(address(0), 3, 21_080, true, hex"6000");
        assertEq(portal.escrowed(), 10e18);
        vm.deal(user, 1 ether);
        vm.prank(user);
        vm.expectRevert(OpenPortal.EthNotAccepted.selector);
        portal.depositTransaction{value: 1}(address(1), 0, 100_000, false, "");
    }

    function test_deposit_aliasesContractsButNotDelegatedEoas() public {
        Depositor d = new Depositor();
        vm.expectEmit(address(portal));
        emit TransactionDeposited(RollupHashing.applyL1ToL2Alias(address(d)), address(1), 0, abi.encodePacked(uint256(0), uint256(0), uint64(100_000), false, ""));
        d.deposit(portal);
        assertEq(RollupHashing.undoL1ToL2Alias(RollupHashing.applyL1ToL2Alias(address(d))), address(d));

        address delegated = makeAddr("delegated");
        vm.etch(delegated, abi.encodePacked(hex"ef0100", address(d)));
        vm.expectEmit(address(portal));
        emit TransactionDeposited(delegated, address(1), 0, abi.encodePacked(uint256(0), uint256(0), uint64(100_000), false, ""));
        vm.prank(delegated);
        portal.depositTransaction(address(1), 0, 100_000, false, "");

        address odd = makeAddr("odd");
        vm.etch(odd, abi.encodePacked(hex"ef0200", address(d)));
        vm.expectEmit(address(portal));
        emit TransactionDeposited(RollupHashing.applyL1ToL2Alias(odd), address(1), 0, abi.encodePacked(uint256(0), uint256(0), uint64(100_000), false, ""));
        vm.prank(odd);
        portal.depositTransaction(address(1), 0, 100_000, false, "");
    }

    function test_deposit_checks() public {
        vm.startPrank(user);
        vm.expectRevert(OpenPortal.BadTarget.selector);
        portal.depositTransaction(address(1), 0, 100_000, true, "");
        vm.expectRevert(abi.encodeWithSelector(OpenPortal.SmallGasLimit.selector, 21_039, 21_040));
        portal.depositTransaction(address(1), 0, 21_039, false, hex"00");
        bytes memory big = new bytes(120_001);
        vm.expectRevert(abi.encodeWithSelector(OpenPortal.LargeCalldata.selector, 120_001));
        portal.depositTransaction(address(1), 0, 10_000_000, false, big);
        // Deposit gas per L1 block is capped; the next block starts afresh.
        portal.depositTransaction(address(1), 0, 15_000_000, false, "");
        vm.expectRevert(abi.encodeWithSelector(OpenPortal.DepositGasExhausted.selector, 15_000_000, 4_900_000));
        portal.depositTransaction(address(1), 0, 15_000_000, false, "");
        vm.roll(block.number + 1);
        portal.depositTransaction(address(1), 0, 15_000_000, false, "");
        vm.stopPrank();
        assertEq(uint256(portal.depositGasUsed()), 15_000_000);
    }

    // ---------------------------------------------------------------- withdrawals

    function test_proveAndFinalize_releasesOpen() public {
        uint256 index = _proposeVectors();
        vm.expectEmit(address(portal));
        emit WithdrawalProven(TrieVectors.HASH_0, TrieVectors.SENDER, TrieVectors.TARGET);
        _prove(0, index);
        (bytes32 root, uint128 provenAt, uint128 provenIndex) = portal.provenWithdrawals(TrieVectors.HASH_0);
        assertEq(root, oracle.getL2Output(index).outputRoot);
        assertEq(uint256(provenAt), block.timestamp);
        assertEq(uint256(provenIndex), index);
        assertEq(RollupHashing.withdrawalHash(_wd(0)), TrieVectors.HASH_0);

        vm.expectRevert(abi.encodeWithSelector(OpenPortal.ProofNotOldEnough.selector, TrieVectors.HASH_0));
        portal.finalizeWithdrawalTransaction(_wd(0));
        vm.warp(block.timestamp + PERIOD + 1);
        vm.expectEmit(address(portal));
        emit WithdrawalFinalized(TrieVectors.HASH_0, true);
        portal.finalizeWithdrawalTransaction(_wd(0));
        assertEq(token.balanceOf(TrieVectors.TARGET), TrieVectors.VALUE_0);
        assertEq(portal.escrowed(), 10e18 - TrieVectors.VALUE_0);
        assertEq(token.balanceOf(address(portal)), portal.escrowed());
        assertTrue(portal.finalizedWithdrawals(TrieVectors.HASH_0));

        vm.expectRevert(abi.encodeWithSelector(OpenPortal.AlreadyFinalized.selector, TrieVectors.HASH_0));
        portal.finalizeWithdrawalTransaction(_wd(0));
        vm.expectRevert(abi.encodeWithSelector(OpenPortal.AlreadyFinalized.selector, TrieVectors.HASH_0));
        _prove(0, index);
    }

    function test_prove_refusesBadProofs() public {
        uint256 index = _proposeVectors();
        RollupTypes.OutputRootProof memory rp = _rootProof(TrieVectors.STORAGE_ROOT);

        vm.expectRevert(abi.encodeWithSelector(OpenPortal.UnknownOutput.selector, index + 1));
        portal.proveWithdrawalTransaction(_wd(0), index + 1, rp, _proof(0));

        rp.version = bytes32(uint256(1));
        vm.expectRevert(OpenPortal.InvalidOutputRootProof.selector);
        portal.proveWithdrawalTransaction(_wd(0), index, rp, _proof(0));
        rp = _rootProof(keccak256("another storage root"));
        vm.expectRevert(OpenPortal.InvalidOutputRootProof.selector);
        portal.proveWithdrawalTransaction(_wd(0), index, rp, _proof(0));

        // A withdrawal that was never made: its hash is not in the message passer's storage (its key's slot in the
        // root branch is empty).
        RollupTypes.WithdrawalTransaction memory forged = _wd(0);
        forged.value += 1;
        vm.expectRevert(OpenPortal.InvalidWithdrawalProof.selector);
        portal.proveWithdrawalTransaction(forged, index, _rootProof(TrieVectors.STORAGE_ROOT), _proof(0));
        // Another withdrawal's proof does not prove this one.
        vm.expectRevert(abi.encodeWithSelector(MerkleTrie.InvalidProof.selector, "node hash mismatch"));
        portal.proveWithdrawalTransaction(_wd(0), index, _rootProof(TrieVectors.STORAGE_ROOT), _proof(1));
        // A proof that stops at the root branch, for a key whose branch slot is empty: absent, so refused.
        bytes[] memory rootOnly = new bytes[](1);
        rootOnly[0] = _proof(0)[0];
        RollupTypes.WithdrawalTransaction memory absent = _absentWithdrawal(rootOnly[0]);
        vm.expectRevert(OpenPortal.InvalidWithdrawalProof.selector);
        portal.proveWithdrawalTransaction(absent, index, _rootProof(TrieVectors.STORAGE_ROOT), rootOnly);

        RollupTypes.WithdrawalTransaction memory atPortal = _wd(0);
        atPortal.target = address(portal);
        vm.expectRevert(OpenPortal.BadTarget.selector);
        portal.proveWithdrawalTransaction(atPortal, index, _rootProof(TrieVectors.STORAGE_ROOT), _proof(0));

        _prove(0, index);
        vm.expectRevert(abi.encodeWithSelector(OpenPortal.AlreadyProven.selector, TrieVectors.HASH_0));
        _prove(0, index);
    }

    function test_finalize_refusals() public {
        vm.expectRevert(abi.encodeWithSelector(OpenPortal.NotProven.selector, TrieVectors.HASH_2));
        portal.finalizeWithdrawalTransaction(_wd(2));

        uint256 index = _proposeVectors();
        _prove(2, index);
        // A challenge open on the output holds finalization even after the period.
        vm.prank(challenger);
        uint256 id = oracle.challenge(index, keccak256("other"));
        vm.warp(block.timestamp + PERIOD + 1);
        vm.expectRevert(abi.encodeWithSelector(OpenPortal.OutputNotFinalized.selector, index));
        portal.finalizeWithdrawalTransaction(_wd(2));
        vm.prank(guardian);
        oracle.resolve(id, false);
        portal.finalizeWithdrawalTransaction(_wd(2));
        assertEq(token.balanceOf(TrieVectors.TARGET), TrieVectors.VALUE_2);
    }

    function test_deletedOutput_mustBeProvenAgain() public {
        uint256 index = _proposeVectors();
        _prove(0, index);
        vm.prank(challenger);
        uint256 id = oracle.challenge(index, keccak256("other"));
        vm.prank(guardian);
        oracle.resolve(id, true);
        vm.warp(block.timestamp + PERIOD + 1);
        vm.expectRevert(abi.encodeWithSelector(OpenPortal.OutputRootChanged.selector, TrieVectors.HASH_0));
        portal.finalizeWithdrawalTransaction(_wd(0));

        // The right output proposed at the same index: the old proof is void, a proof against it is accepted.
        RollupTypes.OutputRootProof memory right = _rootProof(TrieVectors.STORAGE_ROOT);
        right.stateRoot = keccak256("the right state");
        uint256 again = _propose(RollupHashing.outputRoot(right));
        assertEq(again, index);
        portal.proveWithdrawalTransaction(_wd(0), again, right, _proof(0));
        vm.warp(block.timestamp + PERIOD + 1);
        portal.finalizeWithdrawalTransaction(_wd(0));
        assertEq(token.balanceOf(TrieVectors.TARGET), TrieVectors.VALUE_0);
    }

    function test_finalize_callsTargetWithL2Sender() public {
        SenderRecorder rec = new SenderRecorder(portal);
        vm.etch(TrieVectors.TARGET, address(rec).code);
        uint256 index = _proposeVectors();
        _prove(1, index);
        vm.warp(block.timestamp + PERIOD + 1);
        assertEq(portal.l2Sender(), address(0xdEaD));
        vm.expectRevert(OpenPortal.InsufficientGas.selector);
        portal.finalizeWithdrawalTransaction{gas: 200_000}(_wd(1));
        vm.expectEmit(address(portal));
        emit WithdrawalFinalized(TrieVectors.HASH_1, true);
        portal.finalizeWithdrawalTransaction(_wd(1));
        assertEq(SenderRecorder(TrieVectors.TARGET).seen(), TrieVectors.SENDER);
        assertEq(portal.l2Sender(), address(0xdEaD));
    }

    function test_finalize_reentrancyFailsTheCallButNotTheWithdrawal() public {
        Reenterer re = new Reenterer(portal);
        vm.etch(TrieVectors.TARGET, address(re).code);
        uint256 index = _proposeVectors();
        _prove(0, index);
        _prove(1, index);
        vm.warp(block.timestamp + PERIOD + 1);
        // Withdrawal 1 calls the target, which tries to finalize withdrawal 0 inside: refused, so the call fails.
        vm.expectEmit(address(portal));
        emit WithdrawalFinalized(TrieVectors.HASH_1, false);
        portal.finalizeWithdrawalTransaction(_wd(1));
        assertTrue(portal.finalizedWithdrawals(TrieVectors.HASH_1));
        assertFalse(portal.finalizedWithdrawals(TrieVectors.HASH_0));
        portal.finalizeWithdrawalTransaction(_wd(0));
        assertEq(token.balanceOf(TrieVectors.TARGET), TrieVectors.VALUE_0);
    }

    // ---------------------------------------------------------------- guardian and governance

    function test_pause_stopsDepositsAndWithdrawals() public {
        uint256 index = _proposeVectors();
        vm.prank(user);
        vm.expectRevert(abi.encodeWithSelector(OpenPortal.NotGuardian.selector, user));
        portal.pause();
        vm.prank(guardian);
        portal.pause();
        assertTrue(portal.paused());
        vm.startPrank(user);
        vm.expectRevert(OpenPortal.IsPaused.selector);
        portal.depositERC20Transaction(user, 1, 0, 100_000, false, "");
        vm.expectRevert(OpenPortal.IsPaused.selector);
        portal.depositTransaction(user, 0, 100_000, false, "");
        vm.stopPrank();
        vm.expectRevert(OpenPortal.IsPaused.selector);
        _prove(0, index);
        vm.expectRevert(OpenPortal.IsPaused.selector);
        portal.finalizeWithdrawalTransaction(_wd(0));
        vm.prank(user);
        vm.expectRevert(abi.encodeWithSelector(OpenPortal.NotGuardian.selector, user));
        portal.unpause();
        vm.prank(guardian);
        portal.unpause();
        _prove(0, index);
    }

    function test_governanceAndGetters() public {
        vm.expectRevert(OpenPortal.ZeroAddress.selector);
        new OpenPortal(IERC20(address(0)), oracle, address(this), guardian);
        vm.expectRevert(OpenPortal.ZeroAddress.selector);
        new OpenPortal(token, L2OutputOracle(address(0)), address(this), guardian);
        vm.prank(user);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, user));
        portal.setGuardian(user);
        vm.startPrank(address(timelock));
        vm.expectRevert(OpenPortal.ZeroAddress.selector);
        portal.setGuardian(address(0));
        portal.setGuardian(user);
        vm.stopPrank();
        assertEq(portal.guardian(), user);
        assertEq(address(portal.L2_ORACLE()), address(oracle));
        assertEq(portal.version(), "2.8.0");
        assertEq(uint256(portal.minimumGasLimit(10)), 21_400);
    }
}
