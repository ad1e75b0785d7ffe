// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm} from "../test/utils/Vm.sol";
import {DatanetRegistry} from "../src/l2/DatanetRegistry.sol";
import {ModelRegistry, IDatanetVersions} from "../src/l2/ModelRegistry.sol";
import {AttributionRewards} from "../src/l2/AttributionRewards.sol";
import {InferencePayments, IEpochFees} from "../src/l2/InferencePayments.sol";

/// @notice Deploys OpenLedger's L2 app contracts and writes their addresses to deployments/<chainid>-l2.json.
/// Usage: forge script contracts/script/DeployL2.s.sol --rpc-url $L2_RPC --broadcast [--private-key $PRIVATE_KEY]
/// Env (all optional): PRIVATE_KEY (default: anvil account 0), L2_OWNER (owner/admin of all three; default: the
/// deployer; later the L1 timelock's aliased address), POSTER (AttributionRewards poster; default: the deployer),
/// TREASURY (default: L2_OWNER), CHALLENGE_WINDOW (default 1 day), SPLIT_CONTRIBUTORS_BPS / SPLIT_MODEL_OWNERS_BPS /
/// SPLIT_STAKERS_BPS / SPLIT_PROTOCOL_BPS (default 5000 / 2500 / 1500 / 1000); InferencePayments: SETTLER (default:
/// the deployer), EPOCH_START (default 0: the deploy block's time), EPOCH_LENGTH (default 1 day), WITHDRAW_DELAY
/// (default 1 day).
contract DeployL2 {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    uint256 internal constant ANVIL_KEY_0 = 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80;

    struct Deployed {
        DatanetRegistry datanets;
        ModelRegistry models;
        AttributionRewards rewards;
        InferencePayments payments;
    }

    /// @notice Deploys with the env configuration and writes the addresses file.
    function run() external returns (Deployed memory d) {
        uint256 pk = vm.envOr("PRIVATE_KEY", ANVIL_KEY_0);
        vm.startBroadcast(pk);
        d = _deploy(vm.addr(pk));
        vm.stopBroadcast();

        string memory k = "l2";
        vm.serializeUint(k, "chainId", block.chainid);
        vm.serializeAddress(k, "DatanetRegistry", address(d.datanets));
        vm.serializeAddress(k, "ModelRegistry", address(d.models));
        vm.serializeAddress(k, "AttributionRewards", address(d.rewards));
        string memory json = vm.serializeAddress(k, "InferencePayments", address(d.payments));
        vm.createDir("deployments", true);
        vm.writeJson(json, string.concat("deployments/", vm.toString(block.chainid), "-l2.json"));
    }

    function _deploy(address deployer) internal returns (Deployed memory d) {
        address owner = vm.envOr("L2_OWNER", deployer);
        AttributionRewards.Split memory split = AttributionRewards.Split({
            contributors: uint16(vm.envOr("SPLIT_CONTRIBUTORS_BPS", uint256(5_000))),
            modelOwners: uint16(vm.envOr("SPLIT_MODEL_OWNERS_BPS", uint256(2_500))),
            stakers: uint16(vm.envOr("SPLIT_STAKERS_BPS", uint256(1_500))),
            protocol: uint16(vm.envOr("SPLIT_PROTOCOL_BPS", uint256(1_000)))
        });
        d.datanets = new DatanetRegistry(owner);
        d.models = new ModelRegistry(owner, IDatanetVersions(address(d.datanets)));
        d.rewards = new AttributionRewards(
            owner,
            vm.envOr("POSTER", deployer),
            vm.envOr("TREASURY", owner),
            uint64(vm.envOr("CHALLENGE_WINDOW", uint256(1 days))),
            split
        );
        d.payments = new InferencePayments(
            owner,
            vm.envOr("SETTLER", deployer),
            IEpochFees(address(d.rewards)),
            uint64(vm.envOr("EPOCH_START", uint256(0))),
            uint64(vm.envOr("EPOCH_LENGTH", uint256(1 days))),
            uint64(vm.envOr("WITHDRAW_DELAY", uint256(1 days)))
        );
    }
}
