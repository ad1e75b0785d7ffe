// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm} from "../test/utils/Vm.sol";
import {OpenToken} from "../src/l1/OpenToken.sol";
import {OpenAllocation} from "../src/l1/OpenAllocation.sol";
import {OpenVestingWallet} from "../src/l1/OpenVestingWallet.sol";
import {OpenGovernor} from "../src/l1/OpenGovernor.sol";
import {StakingManager} from "../src/l1/StakingManager.sol";
import {SystemConfig} from "../src/l1/SystemConfig.sol";
import {L2OutputOracle} from "../src/l1/rollup/L2OutputOracle.sol";
import {OpenPortal} from "../src/l1/rollup/OpenPortal.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @notice Deploys OpenLedger's L1 contracts and writes their addresses to deployments/<chainid>-l1.json.
/// Usage: forge script contracts/script/DeployL1.s.sol --rpc-url $L1_RPC --broadcast [--private-key $PRIVATE_KEY]
/// Env (all optional): PRIVATE_KEY (default: anvil account 0), TEAM_BENEFICIARY, INVESTORS_BENEFICIARY,
/// ECOSYSTEM, LIQUIDITY (default: the deployer), VESTING_START (default: now), VESTING_CLIFF (default 1 year),
/// VESTING_DURATION (default 4 years), VOTING_DELAY (seconds, default 1 day), VOTING_PERIOD (seconds, default 2 weeks),
/// TIMELOCK_DELAY (default 1 day), UNBONDING_PERIOD (default 7 days),
/// CHALLENGER_BPS (default 1000), ALLOC_{COMMUNITY,INVESTORS,TEAM,ECOSYSTEM,LIQUIDITY}_BPS (default: the
/// OpenAllocation table 5171/1829/1500/1000/500; the token rejects a table that does not sum to 10,000),
/// BATCHER (default anvil account 2), BASE_FEE_SCALAR, BLOB_BASE_FEE_SCALAR, L2_GAS_LIMIT, UNSAFE_BLOCK_SIGNER,
/// L2_CHAIN_ID (for the batch inbox address, default 1330660686).
/// Bridge (L2OutputOracle + OpenPortal): L2_STARTING_BLOCK (0), L2_STARTING_TIMESTAMP (default now: set it to the L2
/// genesis time), L2_BLOCK_TIME (1), SUBMISSION_INTERVAL (L2 blocks between outputs, 10), FINALIZATION_PERIOD (seconds,
/// default 7 days), CHALLENGE_BOND (100 OPEN), RESOLUTION_PERIOD (seconds the guardian has, 3 days), SLASH_AMOUNT
/// (1,000 OPEN), PROPOSER_MIN_STAKE (1,000 OPEN), GUARDIAN (default the timelock); PROPOSER_KEY (default anvil account
/// 3) and PROPOSER_STAKE (default PROPOSER_MIN_STAKE): `run` sends the proposer that much OPEN and stakes it as
/// OutputProposer (0 skips).
/// Wiring: community share (51.71%) -> timelock; team and investor shares -> OpenVestingWallet (cliff + linear);
/// governor is the timelock's only proposer and canceller, anyone may execute, the deployer renounces the timelock
/// admin role; StakingManager is owned by the timelock, which is also its treasury. The oracle and portal are owned by
/// the timelock. The oracle must be a StakingManager slasher: the deployer owns StakingManager first, makes the oracle
/// a slasher, sets the proposer minimum, and hands ownership to the timelock, which accepts it in a batch the deployer
/// schedules and executes at once (the timelock starts with delay 0 and the same batch sets TIMELOCK_DELAY); then the
/// deployer gives up its timelock roles. No devnet-only shortcut: production deploys the same way.
contract DeployL1 {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    uint256 internal constant ANVIL_KEY_0 = 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80;
    /// @dev anvil's third dev account: the devnet's default batcher.
    address internal constant ANVIL_ADDR_2 = 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC;
    /// @dev anvil's fourth dev account: the devnet's default output proposer.
    uint256 internal constant ANVIL_KEY_3 = 0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6;

    struct Deployed {
        OpenToken token;
        TimelockController timelock;
        OpenGovernor governor;
        StakingManager staking;
        OpenVestingWallet teamVesting;
        OpenVestingWallet investorVesting;
        SystemConfig systemConfig;
        address batchInbox;
        L2OutputOracle oracle;
        OpenPortal portal;
    }

    /// @notice Deploys with the env configuration and writes the addresses file.
    function run() external returns (Deployed memory d) {
        uint256 pk = vm.envOr("PRIVATE_KEY", ANVIL_KEY_0);
        address deployer = vm.addr(pk);
        vm.startBroadcast(pk);
        d = _deploy(deployer);
        vm.stopBroadcast();
        _stakeProposer(d, pk);
        _write(d);
    }

    function _deploy(address deployer) internal returns (Deployed memory d) {
        uint64 start = uint64(vm.envOr("VESTING_START", block.timestamp));
        uint64 cliff = uint64(vm.envOr("VESTING_CLIFF", uint256(365 days)));
        uint64 duration = uint64(vm.envOr("VESTING_DURATION", uint256(4 * 365 days)));
        d.teamVesting = new OpenVestingWallet(vm.envOr("TEAM_BENEFICIARY", deployer), start, duration, cliff);
        d.investorVesting = new OpenVestingWallet(vm.envOr("INVESTORS_BENEFICIARY", deployer), start, duration, cliff);

        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1);
        address[] memory bootstrap = new address[](1);
        bootstrap[0] = deployer;
        // Delay 0 and the deployer as proposer only until the bootstrap batch below (which sets the real delay) has run.
        d.timelock = new TimelockController(0, bootstrap, anyone, deployer);

        d.token = new OpenToken(
            _shares(),
            OpenAllocation.Recipients({
                community: address(d.timelock),
                investors: address(d.investorVesting),
                team: address(d.teamVesting),
                ecosystem: vm.envOr("ECOSYSTEM", deployer),
                liquidity: vm.envOr("LIQUIDITY", deployer)
            })
        );
        d.governor = new OpenGovernor(
            IVotes(address(d.token)),
            d.timelock,
            uint48(vm.envOr("VOTING_DELAY", uint256(1 days))),
            uint32(vm.envOr("VOTING_PERIOD", uint256(2 weeks))),
            100e18,
            25
        );
        d.timelock.grantRole(d.timelock.PROPOSER_ROLE(), address(d.governor));
        d.timelock.grantRole(d.timelock.CANCELLER_ROLE(), address(d.governor));

        d.staking = new StakingManager(
            d.token,
            deployer,
            address(d.timelock),
            uint64(vm.envOr("UNBONDING_PERIOD", uint256(7 days))),
            uint16(vm.envOr("CHALLENGER_BPS", uint256(1_000)))
        );

        // Rollup: SystemConfig owned by the timelock; the batch inbox is OP's convention 0xff00..00<L2 chain id>,
        // an address nobody holds a key for.
        d.systemConfig = new SystemConfig(
            address(d.timelock),
            vm.envOr("BATCHER", ANVIL_ADDR_2),
            uint32(vm.envOr("BASE_FEE_SCALAR", uint256(1368))),
            uint32(vm.envOr("BLOB_BASE_FEE_SCALAR", uint256(810949))),
            uint64(vm.envOr("L2_GAS_LIMIT", uint256(30_000_000))),
            vm.envOr("UNSAFE_BLOCK_SIGNER", deployer)
        );
        d.batchInbox = address(uint160((uint256(0xff) << 152) | vm.envOr("L2_CHAIN_ID", uint256(1330660686))));

        _deployBridge(d);
        _handOverToTimelock(d, deployer);
    }

    /// @dev The output oracle and the portal, both owned by the timelock; the oracle becomes a slasher.
    function _deployBridge(Deployed memory d) internal {
        address guardian = vm.envOr("GUARDIAN", address(d.timelock));
        d.oracle = new L2OutputOracle(
            vm.envOr("SUBMISSION_INTERVAL", uint256(10)),
            vm.envOr("L2_BLOCK_TIME", uint256(1)),
            vm.envOr("L2_STARTING_BLOCK", uint256(0)),
            vm.envOr("L2_STARTING_TIMESTAMP", block.timestamp),
            vm.envOr("FINALIZATION_PERIOD", uint256(7 days)),
            d.staking,
            address(d.timelock),
            guardian,
            vm.envOr("CHALLENGE_BOND", uint256(100e18)),
            uint64(vm.envOr("RESOLUTION_PERIOD", uint256(3 days))),
            vm.envOr("SLASH_AMOUNT", uint256(1_000e18))
        );
        d.portal = new OpenPortal(d.token, d.oracle, address(d.timelock), guardian);
        d.staking.setSlasher(address(d.oracle), true);
        d.staking.setMinStake(StakingManager.Role.OutputProposer, vm.envOr("PROPOSER_MIN_STAKE", uint256(1_000e18)));
    }

    /// @dev StakingManager to the timelock (which accepts in a batch that also sets the real delay), then the deployer
    /// leaves the timelock.
    function _handOverToTimelock(Deployed memory d, address deployer) internal {
        d.staking.transferOwnership(address(d.timelock));
        address[] memory targets = new address[](2);
        uint256[] memory values = new uint256[](2);
        bytes[] memory calls = new bytes[](2);
        targets[0] = address(d.staking);
        calls[0] = abi.encodeCall(d.staking.acceptOwnership, ());
        targets[1] = address(d.timelock);
        calls[1] = abi.encodeCall(d.timelock.updateDelay, (vm.envOr("TIMELOCK_DELAY", uint256(1 days))));
        bytes32 salt = keccak256("OpenLedger bootstrap");
        d.timelock.scheduleBatch(targets, values, calls, bytes32(0), salt, 0);
        d.timelock.executeBatch(targets, values, calls, bytes32(0), salt);
        d.timelock.revokeRole(d.timelock.PROPOSER_ROLE(), deployer);
        d.timelock.revokeRole(d.timelock.CANCELLER_ROLE(), deployer);
        d.timelock.renounceRole(d.timelock.DEFAULT_ADMIN_ROLE(), deployer);
    }

    /// @dev Sends the proposer its stake (from the deployer) and stakes it as OutputProposer with the proposer's key.
    function _stakeProposer(Deployed memory d, uint256 deployerKey) internal {
        uint256 proposerKey = vm.envOr("PROPOSER_KEY", ANVIL_KEY_3);
        uint256 amount = vm.envOr("PROPOSER_STAKE", vm.envOr("PROPOSER_MIN_STAKE", uint256(1_000e18)));
        if (amount == 0) return;
        vm.startBroadcast(deployerKey);
        d.token.transfer(vm.addr(proposerKey), amount);
        vm.stopBroadcast();
        vm.startBroadcast(proposerKey);
        d.token.approve(address(d.staking), amount);
        d.staking.stake(StakingManager.Role.OutputProposer, amount);
        vm.stopBroadcast();
    }

    function _shares() internal view returns (OpenAllocation.Shares memory s) {
        s = OpenAllocation.defaults();
        s.community = uint16(vm.envOr("ALLOC_COMMUNITY_BPS", uint256(s.community)));
        s.investors = uint16(vm.envOr("ALLOC_INVESTORS_BPS", uint256(s.investors)));
        s.team = uint16(vm.envOr("ALLOC_TEAM_BPS", uint256(s.team)));
        s.ecosystem = uint16(vm.envOr("ALLOC_ECOSYSTEM_BPS", uint256(s.ecosystem)));
        s.liquidity = uint16(vm.envOr("ALLOC_LIQUIDITY_BPS", uint256(s.liquidity)));
    }

    function _write(Deployed memory d) internal {
        string memory k = "l1";
        vm.serializeUint(k, "chainId", block.chainid);
        vm.serializeAddress(k, "OpenToken", address(d.token));
        vm.serializeAddress(k, "TimelockController", address(d.timelock));
        vm.serializeAddress(k, "OpenGovernor", address(d.governor));
        vm.serializeAddress(k, "StakingManager", address(d.staking));
        vm.serializeAddress(k, "TeamVesting", address(d.teamVesting));
        vm.serializeAddress(k, "InvestorVesting", address(d.investorVesting));
        vm.serializeAddress(k, "SystemConfig", address(d.systemConfig));
        vm.serializeAddress(k, "L2OutputOracle", address(d.oracle));
        vm.serializeAddress(k, "OpenPortal", address(d.portal));
        vm.serializeAddress(k, "OutputProposer", vm.addr(vm.envOr("PROPOSER_KEY", ANVIL_KEY_3)));
        string memory json = vm.serializeAddress(k, "BatchInbox", d.batchInbox);
        vm.createDir("deployments", true);
        vm.writeJson(json, string.concat("deployments/", vm.toString(block.chainid), "-l1.json"));
    }
}
