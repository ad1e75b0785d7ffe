// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {L1Setup} from "./L1Setup.sol";
import {StakingManager} from "../../src/l1/StakingManager.sol";
import {L2OutputOracle} from "../../src/l1/rollup/L2OutputOracle.sol";
import {OpenPortal} from "../../src/l1/rollup/OpenPortal.sol";
import {RollupHashing, RollupTypes} from "../../src/libraries/RollupHashing.sol";

/// @notice The L1 system plus the rollup contracts: a staked proposer, a funded challenger and user.
abstract contract RollupSetup is L1Setup {
    L2OutputOracle internal oracle;
    OpenPortal internal portal;

    address internal proposer = makeAddr("proposer");
    address internal challenger = makeAddr("challenger");
    address internal user = makeAddr("user");
    address internal guardian = makeAddr("guardian");

    uint256 internal constant INTERVAL = 10;
    uint256 internal constant BLOCK_TIME = 2;
    uint256 internal constant PERIOD = 1 days;
    uint256 internal constant BOND = 1_000e18;
    uint64 internal constant RESOLUTION = 3 days;
    uint256 internal constant SLASH = 40_000e18;
    uint256 internal constant MIN_STAKE = 50_000e18;
    uint256 internal constant STAKE = 100_000e18;
    uint256 internal startTime;

    StakingManager.Role internal constant PROPOSER_ROLE = StakingManager.Role.OutputProposer;

    function _deployRollup() internal {
        _deployL1();
        startTime = block.timestamp;
        oracle = new L2OutputOracle(
            INTERVAL, BLOCK_TIME, 0, startTime, PERIOD, staking, address(timelock), guardian, BOND, RESOLUTION, SLASH
        );
        portal = new OpenPortal(token, oracle, address(timelock), guardian);
        vm.startPrank(address(timelock));
        staking.setSlasher(address(oracle), true);
        staking.setMinStake(PROPOSER_ROLE, MIN_STAKE);
        vm.stopPrank();

        vm.startPrank(ecosystem);
        require(token.transfer(proposer, STAKE));
        require(token.transfer(challenger, 100_000e18));
        require(token.transfer(user, 100_000e18));
        vm.stopPrank();
        vm.startPrank(proposer);
        token.approve(address(staking), type(uint256).max);
        staking.stake(PROPOSER_ROLE, STAKE);
        vm.stopPrank();
        vm.prank(challenger);
        token.approve(address(oracle), type(uint256).max);
        vm.prank(user);
        token.approve(address(portal), type(uint256).max);
    }

    /// @dev Proposes the next output (after moving time past its L2 timestamp) and returns its index.
    function _propose(bytes32 root) internal returns (uint256 index) {
        uint256 next = oracle.nextBlockNumber();
        uint256 l2Time = oracle.computeL2Timestamp(next);
        if (block.timestamp <= l2Time) vm.warp(l2Time + 1);
        index = oracle.nextOutputIndex();
        vm.prank(proposer);
        oracle.proposeL2Output(root, next, bytes32(0), 0);
    }

    function _rootProof(bytes32 storageRoot) internal pure returns (RollupTypes.OutputRootProof memory) {
        return RollupTypes.OutputRootProof({
            version: bytes32(0),
            stateRoot: keccak256("state"),
            messagePasserStorageRoot: storageRoot,
            latestBlockhash: keccak256("block")
        });
    }
}
